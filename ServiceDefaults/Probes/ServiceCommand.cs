using System.Text.Json;

namespace DevEnv.ServiceDefaults.Probes;

/// <summary>
/// The app's own subcommands for Kubernetes <c>exec</c> hooks in a shell-less image:
/// <c>&lt;app&gt; probe live|ready|startup</c> (exit 0 healthy, 1 unhealthy, 2 usage error, 3 configuration unreadable) and
/// <c>&lt;app&gt; prestop</c> (asks the running instance to drain and waits out its drain delay).
/// They read their settings from the same sources as the app (<see cref="CommandConfiguration"/>: appsettings.json,
/// environment, command line; the same application name), read the state file the running instance writes and never
/// start the host.
/// </summary>
public static class ServiceCommand
{
    /// <summary>Exit code: healthy / done.</summary>
    public const int Ok = 0;

    /// <summary>Exit code: unhealthy, or the instance did not answer.</summary>
    public const int Failed = 1;

    /// <summary>Exit code: wrong command line or invalid settings.</summary>
    public const int Usage = 2;

    /// <summary>Exit code: the app's configuration (its content root or an appsettings file) cannot be read.</summary>
    public const int ConfigurationUnreadable = 3;

    /// <summary>
    /// Runs a subcommand when <paramref name="args"/> names one and returns its exit code; returns null when the
    /// arguments are for the web host. Call it first thing in Program.cs.
    /// </summary>
    public static int? TryRun(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        if (args.Length == 0 || args[0] is not ("probe" or "prestop"))
        {
            return null;
        }

        output ??= Console.Out;
        error ??= Console.Error;
        // The kubelet shows only the output of a failed exec hook: every failure is one line and an exit code, never a
        // stack trace and the runtime's abort (134).
        var name = args[0] == "probe" && args.Length > 1 ? args[1] : args[0];
        try
        {
            return Run(args, output, error);
        }
        catch (ConfigurationUnreadableException ex)
        {
            error.WriteLine($"{name}: {ex.Message}");
            return ConfigurationUnreadable;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{name}: {ex.Message} (run it as the app's user, with the app's TMPDIR / Probe__StateDirectory)");
            return Failed;
        }
    }

    private static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var (configuration, app) = CommandConfiguration.Build(args[1..]);
        var settings = SettingsReader.Read(configuration);
        if (settings.Errors.Count > 0)
        {
            error.WriteLine($"{args[0]}: invalid setting {string.Join("; ", settings.Errors)}");
            return Usage;
        }

        var options = settings.Probe;
        if (args[0] == "prestop")
        {
            return PreStop(app, options, output, error);
        }

        var usage = $"Usage: {app} probe live|ready|startup";
        if (args.Length != 2)
        {
            error.WriteLine($"error: expected exactly one probe name. {usage}");
            return Usage;
        }

        Func<ProbeState, bool>? check = args[1] switch
        {
            "live" => s => s.Live,
            "ready" => s => s.Ready,
            "startup" => s => s.Started,
            _ => null,
        };
        if (check is null)
        {
            error.WriteLine($"error: unknown probe '{args[1]}'. {usage}");
            return Usage;
        }

        var state = ReadLive(options.StateFilePath(app), options, out var problem);
        if (state is null)
        {
            error.WriteLine($"{args[1]}: unhealthy: {problem}");
            return Failed;
        }

        var healthy = check(state);
        (healthy ? output : error).WriteLine($"{args[1]}: {(healthy ? "healthy" : "unhealthy")} (phase {state.Phase}, pid {state.ProcessId})");
        return healthy ? Ok : Failed;
    }

    private static int PreStop(string app, ProbeOptions options, TextWriter output, TextWriter error)
    {
        var statePath = options.StateFilePath(app);
        var first = ReadLive(statePath, options, out var problem);
        if (first is null)
        {
            error.WriteLine($"prestop: {problem}");
            return Failed;
        }

        File.WriteAllText(options.PreStopRequestPath(app, first.InstanceId), DateTimeOffset.UtcNow.ToString("O"));
        // The instance notices the request at once (inotify) or on its next heartbeat; then wait out its drain delay.
        var deadline = DateTimeOffset.UtcNow + options.HeartbeatInterval + options.StaleAfter;
        while (true)
        {
            var state = ReadLive(statePath, options, out problem);
            if (state?.DrainingSince is { } since)
            {
                var remaining = since + TimeSpan.FromMilliseconds(state.DrainDelayMs) - DateTimeOffset.UtcNow;
                if (remaining > TimeSpan.Zero)
                {
                    Thread.Sleep(remaining);
                }

                output.WriteLine($"prestop: draining since {since:O}; drain delay of {state.DrainDelayMs} ms is over");
                return Ok;
            }

            if (state is null || DateTimeOffset.UtcNow > deadline)
            {
                error.WriteLine($"prestop: the instance did not start draining ({problem ?? "no heartbeat picked up the request"})");
                return Failed;
            }

            Thread.Sleep(TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>The state file, if it was written by a process that is still running and still beating.</summary>
    private static ProbeState? ReadLive(string path, ProbeOptions options, out string? problem)
    {
        var state = Read(path, out problem);
        if (state is null)
        {
            return null;
        }

        if (ProcessIdentity.WhyNotRunning(state) is { } gone)
        {
            problem = $"{gone}; {path} is left over from it";
            return null;
        }

        var age = DateTimeOffset.UtcNow - state.UpdatedAt;
        if (age > options.StaleAfter)
        {
            problem = $"heartbeat is {age.TotalSeconds:0.0} s old (limit {options.StaleAfter.TotalSeconds:0.0} s): process {state.ProcessId} is hung";
            return null;
        }

        return state;
    }

    private static ProbeState? Read(string path, out string? problem)
    {
        try
        {
            problem = null;
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), ProbeStateJsonContext.Default.ProbeState);
        }
        catch (FileNotFoundException)
        {
            problem = $"no state file at {path}: the app is not running, or runs with another TMPDIR / Probe__StateDirectory";
        }
        catch (DirectoryNotFoundException)
        {
            problem = $"no state directory for {path}";
        }
        catch (JsonException ex)
        {
            problem = $"unreadable state file {path}: {ex.Message}";
        }
        catch (UnauthorizedAccessException ex)
        {
            problem = $"cannot read {path}: {ex.Message} (run the probe as the app's user)";
        }

        return null;
    }
}
