using System.Globalization;

namespace DevEnv.ServiceDefaults.Probes;

/// <summary>
/// Who a process is, in terms that do not repeat across a restart: pids do (a new container's app is PID 1
/// again, and the /tmp emptyDir with the old state file survives), the start time since boot and the boot id
/// do not. Read from /proc on Linux; elsewhere only the pid is known and the heartbeat age has to do.
/// </summary>
public sealed record ProcessIdentity(int ProcessId, long StartTicks, string BootId)
{
    private const string BootIdPath = "/proc/sys/kernel/random/boot_id";

    /// <summary>This process.</summary>
    public static ProcessIdentity Current { get; } = new(Environment.ProcessId, ReadStartTicks(Environment.ProcessId) ?? 0, ReadBootId());

    /// <summary>Unique across restarts and reboots: pid and start time.</summary>
    public string InstanceId => string.Create(CultureInfo.InvariantCulture, $"{ProcessId}-{StartTicks}");

    /// <summary>
    /// Null when the process that wrote <paramref name="state"/> is still running; otherwise why it is not
    /// (exited, or its pid now belongs to another process).
    /// </summary>
    public static string? WhyNotRunning(ProbeState state)
    {
        if (state.ProcessStartTicks == 0 || !Directory.Exists("/proc/self"))
        {
            return null; // nothing to compare: the heartbeat age decides
        }

        if (state.BootId.Length > 0 && ReadBootId() is { Length: > 0 } boot && boot != state.BootId)
        {
            return $"process {state.ProcessId} ran before the last reboot";
        }

        return ReadStartTicks(state.ProcessId) switch
        {
            null => $"process {state.ProcessId} has exited",
            var ticks when ticks != state.ProcessStartTicks => $"process {state.ProcessId} has exited (that pid now belongs to a process started later)",
            _ => null,
        };
    }

    private static long? ReadStartTicks(int pid)
    {
        try
        {
            // Field 2 (comm) is in parentheses and may contain spaces: count fields after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is field 3 (state), so field 22 (starttime) is fields[19].
            return long.Parse(fields[19], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static string ReadBootId()
    {
        try
        {
            return File.ReadAllText(BootIdPath).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
