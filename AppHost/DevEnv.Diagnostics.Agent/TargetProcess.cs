using System.Diagnostics;
using System.Text;
using Microsoft.Diagnostics.NETCore.Client;

namespace DevEnv.Diagnostics.Agent;

/// <summary>
/// A .NET process whose diagnostic port the agent can reach: its IPC socket is in the shared /tmp and the process is
/// visible in the shared process namespace. The agent itself is never one (it is left out by its own pid and executable).
/// </summary>
/// <param name="Pid">The process id, as the shared process namespace numbers it (the pod's app is usually 1).</param>
/// <param name="CommandLine">Its command line, from /proc.</param>
/// <param name="RuntimeVersion">The product version of its System.Private.CoreLib (e.g. 10.0.12+…), or null when unreadable.</param>
public sealed record TargetProcess(int Pid, string CommandLine, string? RuntimeVersion)
{
    /// <summary>Every .NET process with a diagnostic port here, but this agent and its siblings.</summary>
    public static IReadOnlyList<TargetProcess> List()
    {
        var self = Environment.ProcessId;
        var agent = Path.GetFileName(Environment.ProcessPath ?? "DevEnv.Diagnostics.Agent");
        var found = new List<TargetProcess>();
        foreach (var pid in DiagnosticsClient.GetPublishedProcesses().Distinct().Order())
        {
            // A socket outlives a process that was killed; /proc says whether it still runs.
            if (pid == self || !Directory.Exists($"/proc/{pid}"))
            {
                continue;
            }

            var commandLine = CommandLineOf(pid);
            if (commandLine is null || Path.GetFileName(commandLine.Split(' ')[0]) == agent)
            {
                continue;
            }

            found.Add(new TargetProcess(pid, commandLine, RuntimeVersionOf(pid)));
        }

        return found;
    }

    /// <summary>
    /// The process asked for, or the only one there is (the pod's app; pid 1 when there are several), or a
    /// <see cref="TargetNotFoundException"/> that lists what there is.
    /// </summary>
    public static TargetProcess Find(int? pid)
    {
        var all = List();
        if (pid is { } wanted)
        {
            return all.FirstOrDefault(p => p.Pid == wanted)
                ?? throw new TargetNotFoundException($"no .NET process {wanted} with a diagnostic port here ({Describe(all)})");
        }

        return all.Count switch
        {
            0 => throw new TargetNotFoundException("no .NET process with a diagnostic port here: is the app running, with /tmp shared and DOTNET_EnableDiagnostics not 0?"),
            1 => all[0],
            _ => all.FirstOrDefault(p => p.Pid == 1) ?? throw new TargetNotFoundException($"several .NET processes, pass --pid: {Describe(all)}"),
        };
    }

    /// <summary>Whether the process still runs.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsRunning => Directory.Exists($"/proc/{Pid}");

    private static string Describe(IReadOnlyList<TargetProcess> all) =>
        all.Count == 0 ? "there are none" : "there are " + string.Join(", ", all.Select(p => $"{p.Pid} ({p.CommandLine})"));

    private static string? CommandLineOf(int pid)
    {
        try
        {
            var raw = File.ReadAllBytes($"/proc/{pid}/cmdline");
            return Encoding.UTF8.GetString(raw).TrimEnd('\0').Replace('\0', ' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // The app's own CoreLib, through the process's root (same user, shared process namespace): its version names the
    // runtime build, which is what a dump reader needs to find the matching DAC.
    private static string? RuntimeVersionOf(int pid)
    {
        try
        {
            var maps = File.ReadLines($"/proc/{pid}/maps")
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(parts => parts.Length >= 6 && parts[5].EndsWith("/System.Private.CoreLib.dll", StringComparison.Ordinal))
                .Select(parts => parts[5])
                .FirstOrDefault();
            return maps is null ? null : FileVersionInfo.GetVersionInfo($"/proc/{pid}/root{maps}").ProductVersion;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
