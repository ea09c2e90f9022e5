using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace DevEnv.SampleApi.Tests.Infrastructure;

/// <summary>
/// One real SampleApi process on a free 127.0.0.1 port, its management port (the probes) on another, with its own
/// probe state directory. Output lines are captured; disposal kills the process if it is still running.
/// </summary>
public sealed class AppInstance : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly Dictionary<string, string> _environment;

    private AppInstance(string executable, Process process, Dictionary<string, string> environment, int port, int managementPort, string stateDirectory, string workingDirectory)
    {
        Executable = executable;
        _process = process;
        _environment = environment;
        Port = port;
        StateDirectory = stateDirectory;
        WorkingDirectory = workingDirectory;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        ManagementAddress = new Uri($"http://127.0.0.1:{managementPort}");
    }

    /// <summary>http://127.0.0.1:management-port, where the probes answer.</summary>
    public Uri ManagementAddress { get; }

    /// <summary>The directory the app runs in (its content root: appsettings.json is read from here).</summary>
    public string WorkingDirectory { get; }

    /// <summary>The published executable.</summary>
    public string Executable { get; }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>Its probe state directory (Probe__StateDirectory).</summary>
    public string StateDirectory { get; }

    /// <summary>http://127.0.0.1:port.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Process id, for signals.</summary>
    public int ProcessId => _process.Id;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Standard output lines so far.</summary>
    public IReadOnlyList<string> StandardOutput => [.. _stdout];

    /// <summary>Standard error lines so far.</summary>
    public IReadOnlyList<string> StandardError => [.. _stderr];

    /// <summary>Starts the app; <paramref name="drainDelay"/> and <paramref name="timeout"/> set Shutdown__*.</summary>
    public static AppInstance Start(PublishedApp app, TimeSpan drainDelay, TimeSpan? timeout = null,
        int? port = null, IReadOnlyDictionary<string, string>? extraEnvironment = null, string? runAsUser = null,
        string? workingDirectory = null)
    {
        var chosenPort = port ?? FreePort.Next();
        var managementPort = FreePort.Next();
        var stateDirectory = Directory.CreateTempSubdirectory("sampleapi-state-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{chosenPort}",
            ["Probe__Port"] = $"{managementPort}",
            ["Probe__StateDirectory"] = stateDirectory,
            ["Probe__HeartbeatInterval"] = "200ms",
            ["Shutdown__DrainDelay"] = $"{drainDelay.TotalMilliseconds}ms",
            ["Shutdown__Timeout"] = $"{(timeout ?? TimeSpan.FromSeconds(10)).TotalMilliseconds}ms",
        };
        foreach (var (key, value) in extraEnvironment ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        // An empty value means "leave the setting out", e.g. to let appsettings.json decide.
        foreach (var key in environment.Where(e => e.Value.Length == 0).Select(e => e.Key).ToList())
        {
            environment.Remove(key);
        }

        var startInfo = CreateStartInfo(app.ExecutablePath, environment, [], workingDirectory);
        if (runAsUser is not null)
        {
            // setpriv execs the app, so the pid we signal is the app's own.
            startInfo = CreateStartInfo("setpriv", environment,
                [$"--reuid={runAsUser}", $"--regid={runAsUser}", "--clear-groups", "--", app.ExecutablePath]);
            startInfo.WorkingDirectory = Path.GetDirectoryName(app.ExecutablePath)!;
            File.SetUnixFileMode(stateDirectory, (UnixFileMode)0b111_111_111);
        }

        var process = new Process { StartInfo = startInfo };
        var instance = new AppInstance(app.ExecutablePath, process, environment, chosenPort, managementPort, stateDirectory, startInfo.WorkingDirectory);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) instance._stdout.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) instance._stderr.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return instance;
    }

    /// <summary>Waits until /healthz/ready (management port) answers 200; fails with the app's output if it exits or times out.</summary>
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken) => WaitUntilAsync("/healthz/ready", cancellationToken);

    /// <summary>Waits until <paramref name="probePath"/> on the management port answers 200.</summary>
    public async Task WaitUntilAsync(string probePath, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = ManagementAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"SampleApi exited with {_process.ExitCode} before it was ready.\n{Output()}");
            }

            try
            {
                using var response = await client.GetAsync(probePath, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet, or too slow to answer on a busy machine: ask again.
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException($"SampleApi on port {Port} was not ready within 60 s.\n{Output()}");
    }

    /// <summary>Sends SIGTERM, as the kubelet does.</summary>
    public void Terminate() => Native.SendSignal(_process.Id, Native.SigTerm);

    /// <summary>Sends SIGKILL: the process dies without running any of its own code.</summary>
    public void Kill() => Native.SendSignal(_process.Id, Native.SigKill);

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"SampleApi did not exit within {timeout}.\n{Output()}");
        }

        return _process.ExitCode;
    }

    /// <summary>Runs the same executable with <paramref name="args"/> and this instance's environment.</summary>
    public Task<CommandResult> RunCommandAsync(IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        RunAsync(Executable, _environment, args, cancellationToken, WorkingDirectory);

    /// <summary>Runs the executable with <paramref name="args"/> and the given environment.</summary>
    public static async Task<CommandResult> RunAsync(string executable, IReadOnlyDictionary<string, string> environment,
        IReadOnlyList<string> args, CancellationToken cancellationToken, string? workingDirectory = null)
    {
        using var process = new Process { StartInfo = CreateStartInfo(executable, environment, args, workingDirectory) };
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The structured (JSON) log events with the given EventId.</summary>
    public IReadOnlyList<JsonElement> LogEvents(int eventId) =>
        [.. StandardOutput.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("EventId", out var id) && id.GetInt32() == eventId)];

    /// <summary>Everything the app wrote, for failure messages.</summary>
    public string Output() =>
        $"--- stdout (last 60 lines)\n{string.Join('\n', StandardOutput.TakeLast(60))}\n--- stderr\n{string.Join('\n', StandardError.TakeLast(30))}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(StateDirectory, recursive: true);
    }

    private static ProcessStartInfo CreateStartInfo(string executable, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> args,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // No writes outside the temp dir: run from a directory the app cannot (and need not) touch.
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(executable)!,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }
}
