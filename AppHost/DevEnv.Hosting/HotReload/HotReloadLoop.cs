namespace DevEnv.Hosting.HotReload;

/// <summary>
/// Hot Reload for one workload: dotnet-watch (<see cref="DotnetWatchSession"/>) compiles each save into deltas, DevEnv
/// takes them at dotnet-watch's end (<see cref="WatchAgentLink"/>) and the channel applies them to every pod at once
/// (<see cref="PodUpdateChannel"/>). Each build dotnet-watch makes (at start, and after a rude edit: it restarts by itself)
/// is handed to <c>onBaseline</c> as soon as the build succeeds, which makes the image from it and rolls it out; deltas
/// (through the pipe dotnet-watch hands over once it has started "the app") wait until that image is the
/// workload's current one. A pod that refuses an update is not left behind on old code: the session restarts, so
/// dotnet-watch builds afresh and the rebuild rolls out.
/// </summary>
public sealed class HotReloadLoop : IAsyncDisposable
{
    private readonly string _workload;
    private readonly string _projectFile;
    private readonly string _runtimeIdentifier;
    private readonly string _stateDirectory;
    private readonly PodUpdateChannel _channel;
    private readonly Func<WatchBaseline, CancellationToken, Task<string>> _onBaseline;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private DotnetWatchSession? _session;
    private bool _rebuildPending;
    private Task<string>? _early;
    private DateTimeOffset? _sourcesAtBuild;
    private int _builds;

    // MSBuild's last line of a build that succeeded (dotnet-watch runs with DOTNET_CLI_UI_LANGUAGE=en).
    private const string BuildSucceeded = "Build succeeded.";

    // dotnet-watch's line once it has loaded its projects and watches the sources: a save before it is not seen.
    private const string WaitingForChanges = "Waiting for changes";

    /// <summary>
    /// A loop for <paramref name="workload"/> (project <paramref name="projectFile"/>); <paramref name="onBaseline"/> builds
    /// and rolls out the image of a build and returns its tag.
    /// </summary>
    public HotReloadLoop(string workload, string projectFile, string runtimeIdentifier, string stateDirectory, PodUpdateChannel channel,
        Func<WatchBaseline, CancellationToken, Task<string>> onBaseline, Action<string> log)
    {
        _workload = workload;
        _projectFile = projectFile;
        _runtimeIdentifier = runtimeIdentifier;
        _stateDirectory = stateDirectory;
        _channel = channel;
        _onBaseline = onBaseline;
        _log = log;
    }

    /// <summary>The last save carried into the pods.</summary>
    public HotReloadOutcome? Last { get; private set; }

    /// <summary>
    /// How long after the last save carried into the pods the saves are folded into the image: dotnet-watch builds
    /// afresh and that build rolls out, so a pod that restarts when the AppHost is gone still runs them (while the
    /// AppHost runs, the channel replays them to a new pod anyway). Infinite: never.
    /// </summary>
    public TimeSpan FoldAfter { get; init; } = Timeout.InfiniteTimeSpan;

    private Timer? _fold;

    /// <summary>Raised after each save carried into the pods.</summary>
    public event Action<HotReloadOutcome>? Applied;

    /// <summary>
    /// Whether dotnet-watch watches the sources: from its first build until it has loaded its projects (about 2 s after
    /// the build), a save is not seen by it; the loop notices such a save then and builds afresh (see <see cref="OnOutput"/>).
    /// </summary>
    public bool Watching { get; private set; }

    /// <summary>Starts dotnet-watch.</summary>
    public void Start()
    {
        lock (_gate)
        {
            Watching = false;
            _session = DotnetWatchSession.Start(_projectFile, _runtimeIdentifier, _stateDirectory, OnBaseline, OnOutput);
        }
    }

    private void OnOutput(string line)
    {
        _log("dotnet watch: " + line);
        if (line.Trim() == BuildSucceeded)
        {
            // The build's output is final here; dotnet-watch still loads the projects into its workspace (about 2 s on
            // 2 cores) before it starts "the app" and hands over its pipe, and the image need not wait for that.
            var sources = NewestSourceWrite();
            lock (_gate)
            {
                _rebuildPending = false;
                Watching = false;
                _sourcesAtBuild = sources;
                _early = StartImage(new WatchBaseline(++_builds, ""));
            }
        }

        if (line.Contains(WaitingForChanges, StringComparison.Ordinal) && !Watching)
        {
            DateTimeOffset? atBuild;
            lock (_gate)
            {
                Watching = true;
                atBuild = _sourcesAtBuild;
                _sourcesAtBuild = null;
            }

            // dotnet-watch read the sources into its workspace after the build: a save in between is its baseline now,
            // neither compiled nor ever sent as a delta. Only a new build carries it.
            if (atBuild is { } built && NewestSourceWrite() > built)
            {
                _ = Task.Run(() => RebuildAsync("a save landed while dotnet watch was still loading its projects, so it could not see it"), CancellationToken.None);
            }
            else
            {
                _log($"Hot Reload: dotnet watch watches {Path.GetFileName(_projectFile)}; saves from now on go into the pods");
            }
        }

        if (line.Contains("number of inotify instances", StringComparison.Ordinal))
        {
            _log("Hot Reload: dotnet watch ran out of file watches (one inotify instance per folder). Raise the limit: " +
                "sudo sysctl fs.inotify.max_user_instances=1024 (or set DOTNET_USE_POLLING_FILE_WATCHER=true, slower to notice a save).");
        }
    }

    private void OnBaseline(WatchBaseline baseline)
    {
        Task<string> ready;
        lock (_gate)
        {
            _rebuildPending = false;
            // The image of this build started at its "Build succeeded." line; without that line, it starts now.
            ready = _early ?? StartImage(new WatchBaseline(++_builds, baseline.PipeName));
            _early = null;
        }

        _ = Task.Run(() => ServeLinkAsync(baseline, ready), CancellationToken.None);
    }

    // Makes and rolls out the image of dotnet-watch's latest build (called under the gate).
    private Task<string> StartImage(WatchBaseline build)
    {
        _log($"Hot Reload: dotnet watch built {Path.GetFileName(_projectFile)} (build {build.Iteration}); making its image");
        // Off the caller's thread (dotnet-watch's output reader, or the hand-off watch): the build's first steps are synchronous.
        var ready = Task.Run(() => _onBaseline(build, _stop.Token), CancellationToken.None);
        // Pods of the new image join the set that gets updates as soon as it runs, before the next save.
        _ = ready.ContinueWith(t => _channel.SetBaseline(_workload, t.Result), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        _ = ready.ContinueWith(t => _log($"Hot Reload: the image of build {build.Iteration} failed: {t.Exception!.GetBaseException().Message.Split('\n')[0]}"),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return ready;
    }

    private async Task ServeLinkAsync(WatchBaseline baseline, Task<string> ready)
    {
        var link = new WatchAgentLink(baseline.PipeName, async (update, cancellationToken) =>
        {
            var tag = await ready.ConfigureAwait(false);
            _channel.SetBaseline(_workload, tag);
            return await ApplyAsync(update, cancellationToken).ConfigureAwait(false);
        });
        try
        {
            await link.RunAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _log($"Hot Reload: the link to dotnet watch (build {baseline.Iteration}) ended: {ex.Message}");
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<AgentReply> ApplyAsync(CodeUpdate update, CancellationToken cancellationToken)
    {
        var answers = await _channel.ApplyAsync(_workload, update, cancellationToken).ConfigureAwait(false);
        var appliedAt = DateTimeOffset.UtcNow;
        // Read after the pods have the update, not before: the scan of the sources is no part of save → applied.
        var savedAt = NewestSourceWrite();
        var outcome = new HotReloadOutcome(savedAt, appliedAt - savedAt, answers.Count, answers.Count(a => a.Applied), update.DeltaBytes, answers);
        Last = outcome;
        _log(outcome.Summary);
        Applied?.Invoke(outcome);
        if (FoldAfter != Timeout.InfiniteTimeSpan && answers.Count > 0 && answers.All(a => a.Applied))
        {
            lock (_gate)
            {
                _fold ??= new Timer(_ => _ = FoldAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _fold.Change(FoldAfter, Timeout.InfiniteTimeSpan);
            }
        }
        var refused = answers.Where(a => !a.Applied).ToList();
        if (refused.Count > 0)
        {
            _ = Task.Run(() => RebuildAsync($"{refused.Count} pod(s) could not apply the change"), CancellationToken.None);
        }
        else if (answers.Count == 0)
        {
            // Another image was rolled out meanwhile (the image resource's Rebuild command): its pods have no agent, and
            // the save would reach nobody.
            _ = Task.Run(() => RebuildAsync($"no pod of {_workload} runs dotnet watch's build now"), CancellationToken.None);
        }

        return new AgentReply(refused.Count == 0, [.. answers.SelectMany(a => a.Log.Select(l => ($"[{a.Address}] {l}", (byte)0)))]);
    }

    private async Task FoldAsync()
    {
        if (_channel.Applied(_workload) is var saves and > 0)
        {
            await RebuildAsync($"{saves} update(s) live only in the running pods; building them into the image, so a pod that restarts later runs them too").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Builds afresh and rolls the build out, because <paramref name="why"/>: dotnet-watch stops sending to an app that
    /// refused an update, so a new session builds again (a new baseline). Several reasons before that build (each pod
    /// reports its own refusal) make one rebuild.
    /// </summary>
    public async Task RebuildAsync(string why)
    {
        lock (_gate)
        {
            if (_rebuildPending || _stop.IsCancellationRequested)
            {
                return;
            }

            _rebuildPending = true;
        }

        _log($"Hot Reload: {why}; rebuilding {Path.GetFileName(_projectFile)} and rolling it out instead");
        await RestartAsync().ConfigureAwait(false);
    }

    private async Task RestartAsync()
    {
        await StopSessionAsync().ConfigureAwait(false);
        if (!_stop.IsCancellationRequested)
        {
            Start();
        }
    }

    // When the save happened: the newest write among the project's sources and those next to it (ServiceDefaults).
    private DateTimeOffset NewestSourceWrite()
    {
        var root = Path.GetDirectoryName(Path.GetDirectoryName(_projectFile))!;
        var newest = DateTime.MinValue;
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            var written = File.GetLastWriteTimeUtc(file);
            if (written > newest)
            {
                newest = written;
            }
        }

        return newest == DateTime.MinValue ? DateTimeOffset.UtcNow : new DateTimeOffset(newest, TimeSpan.Zero);
    }

    // Stops the running dotnet-watch, if any (taken under the gate, so a restart and a dispose never both stop it).
    private async Task StopSessionAsync()
    {
        DotnetWatchSession? session;
        lock (_gate)
        {
            session = _session;
            _session = null;
        }

        if (session is not null)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        Timer? fold;
        lock (_gate)
        {
            fold = _fold;
            _fold = null;
        }

        if (fold is not null)
        {
            await fold.DisposeAsync().ConfigureAwait(false);
        }

        await StopSessionAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
