using System.Diagnostics;

namespace DevEnv.Hosting.HotReload;

/// <summary>
/// The SDK's <c>dotnet watch</c> on one project, as the compiler of Hot Reload for its pods. It builds the project
/// (Debug, self-contained for the image's runtime identifier, untrimmed: what Hot Reload needs), watches its sources
/// and those of the projects it references, and compiles each save into deltas, or restarts on an edit Hot Reload
/// cannot apply (DOTNET_WATCH_RESTART_ON_RUDE_EDIT). "The app" it starts is a placeholder script (RunCommand), which
/// hands DevEnv the pipe dotnet-watch serves and stays alive until dotnet-watch stops it; the real app runs in the
/// pods, built from the same output folder, so its modules are the deltas' baseline.
/// </summary>
public sealed class DotnetWatchSession : IAsyncDisposable
{
    /// <summary>The variable that tells the placeholder where to write its hand-off (iteration and pipe name).</summary>
    public const string HandoffVariable = "DEVENV_HOTRELOAD_HANDOFF";

    private readonly Process _process;
    private readonly string _handoff;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;

    private DotnetWatchSession(Process process, string handoff, Action<WatchBaseline> onBaseline)
    {
        _process = process;
        _handoff = handoff;
        _watching = WatchHandoffAsync(onBaseline, _stop.Token);
    }

    /// <summary>The project's build output the pods' image is made from (bin/Debug/&lt;tfm&gt;/&lt;rid&gt;/ by default).</summary>
    public static IReadOnlyDictionary<string, string> BuildProperties(string runtimeIdentifier) => new Dictionary<string, string>
    {
        ["RuntimeIdentifier"] = runtimeIdentifier,
        ["SelfContained"] = "true",
        // A project that trims when published turns startup hooks off in its builds too; the watch build keeps them.
        ["PublishTrimmed"] = "false",
    };

    /// <summary>
    /// Starts <c>dotnet watch</c> on <paramref name="projectFile"/>, its files in <paramref name="stateDirectory"/>;
    /// <paramref name="onBaseline"/> runs for each build it starts "the app" for, <paramref name="onOutput"/> for each line it prints.
    /// </summary>
    public static DotnetWatchSession Start(string projectFile, string runtimeIdentifier, string stateDirectory, Action<WatchBaseline> onBaseline, Action<string> onOutput)
    {
        Directory.CreateDirectory(stateDirectory);
        var launcher = Path.Combine(stateDirectory, "placeholder.sh");
        File.WriteAllText(launcher, Placeholder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var handoff = Path.Combine(stateDirectory, "handoff");
        File.Delete(handoff);

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = Path.GetDirectoryName(projectFile)!,
        };
        foreach (var argument in (string[])["watch", "--project", projectFile, "--non-interactive",
                     $"--property:RunCommand={launcher}", "--property:RunArguments=",
                     .. BuildProperties(runtimeIdentifier).Select(p => $"--property:{p.Key}={p.Value}")])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[HandoffVariable] = handoff;
        start.Environment["DOTNET_WATCH_RESTART_ON_RUDE_EDIT"] = "true";
        start.Environment["DOTNET_WATCH_SUPPRESS_EMOJIS"] = "true";
        start.Environment["DOTNET_WATCH_SUPPRESS_LAUNCH_BROWSER"] = "true";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet watch did not start");
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) onOutput(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) onOutput(line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new DotnetWatchSession(process, handoff, onBaseline);
    }

    // Written to a temporary name and renamed, so DevEnv never reads half a hand-off; then it waits until dotnet-watch
    // stops it (a restart after a rude edit, or the end of the session): one process (exec), so a stop leaves nothing behind.
    private const string Placeholder = """
        #!/bin/sh
        # Started by dotnet-watch as "the app" for DevEnv's Hot Reload: the app itself runs in the cluster.
        printf '%s %s\n' "$DOTNET_WATCH_ITERATION" "$DOTNET_WATCH_HOTRELOAD_NAMEDPIPE_NAME" > "$DEVENV_HOTRELOAD_HANDOFF.tmp"
        mv "$DEVENV_HOTRELOAD_HANDOFF.tmp" "$DEVENV_HOTRELOAD_HANDOFF"
        exec tail -f /dev/null
        """;

    private async Task WatchHandoffAsync(Action<WatchBaseline> onBaseline, CancellationToken stopping)
    {
        var seen = "";
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
        {
            string text;
            try
            {
                text = File.Exists(_handoff) ? await File.ReadAllTextAsync(_handoff, stopping).ConfigureAwait(false) : "";
            }
            catch (IOException)
            {
                continue;
            }

            if (text.Length == 0 || text == seen)
            {
                continue;
            }

            seen = text;
            var parts = text.Trim().Split(' ');
            if (parts.Length == 2 && int.TryParse(parts[0], out var iteration) && parts[1].Length > 0)
            {
                onBaseline(new WatchBaseline(iteration, parts[1]));
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _watching.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            // With a timeout, WaitForExit does not wait for the end of the output, which a build server that inherited
            // dotnet-watch's standard output (the compiler server, MSBuild's nodes) keeps open after dotnet-watch is gone.
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        _stop.Dispose();
    }
}
