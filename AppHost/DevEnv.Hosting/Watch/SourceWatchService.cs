using DevEnv.Hosting.Application;
using DevEnv.Hosting.HotReload;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Deployment;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DevEnv.Hosting.Watch;

/// <summary>
/// Watches every deployed project's folder and the folders of the projects it references (ServiceDefaults) while
/// <c>up</c> runs. Once a project's deployment first runs, Hot Reload takes its saves over where it can reach the pods
/// (<see cref="DeploymentHotReload"/>; DEVENV_HOT_RELOAD=false turns it off); until then, and where it cannot, a save
/// rebuilds, pushes and rolls out (debounced; an edit during a build supersedes it). A change in a shared project
/// rebuilds every project that references it.
/// </summary>
public sealed class SourceWatchService(DevEnvServices devenv, WorkloadCatalog catalog, IHostApplicationLifetime lifetime, ILogger<SourceWatchService> logger)
    : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);
    private readonly List<(ProjectPipeline Pipeline, RebuildLoop Loop)> _loops = [];
    private readonly List<DeploymentHotReload> _hotReloads = [];
    private readonly SemaphoreSlim _channelGate = new(1, 1);
    private (PodUpdateChannel Channel, PodHotReloadEnvironment Environment)? _channel;
    private bool _channelTried;
    private SourceWatcher? _watcher;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = devenv.Options;
        if (options.Verb != "up" || options.Detach || options.NoWatch)
        {
            return Task.CompletedTask;
        }

        var stopping = lifetime.ApplicationStopping;
        foreach (var pipeline in catalog.Pipelines)
        {
            _loops.Add((pipeline, new RebuildLoop(async run => await pipeline.RebuildAndDeployAsync(run.BuildToken, run.LifetimeToken).ConfigureAwait(false), stopping)));
        }

        var folders = _loops.SelectMany(l => l.Pipeline.SourceDirectories).Where(Directory.Exists).Distinct().ToArray();
        if (folders.Length == 0)
        {
            logger.LogWarning("Not watching: no project folder exists (set DEVENV_SOURCE_ROOT).");
            return Task.CompletedTask;
        }

        _watcher = new SourceWatcher(folders, Debounce, TimeProvider.System, changed =>
        {
            var rebuilt = _loops.Where(l => !IsHotReloaded(l.Pipeline) && changed.Any(path => l.Pipeline.SourceDirectories.Any(directory => IsUnder(path, directory)))).ToList();
            if (rebuilt.Count == 0)
            {
                return;
            }

            var shown = string.Join(", ", changed.Take(3).Select(p => Path.GetRelativePath(devenv.Settings.SourceRoot, p)));
            logger.LogInformation("Changed: {Files}{More}; rebuilding", shown, changed.Count > 3 ? $" and {changed.Count - 3} more" : "");
            foreach (var (_, loop) in rebuilt)
            {
                loop.Trigger();
            }
        });
        logger.LogInformation("Watching {Folders} for changes", string.Join(", ", folders.Select(f => Path.GetRelativePath(devenv.Settings.SourceRoot, f))));
        foreach (var warning in SlowBuildSettings.Warnings(Environment.GetEnvironmentVariable))
        {
            logger.LogWarning("{Warning}", warning);
        }

        if (devenv.Settings.HotReload)
        {
            foreach (var (pipeline, _) in _loops)
            {
                _ = Task.Run(() => HotReloadWhenDeployedAsync(pipeline, stopping), CancellationToken.None);
            }
        }
        else
        {
            logger.LogInformation("Hot Reload is off (DEVENV_HOT_RELOAD=false): every save rebuilds and rolls out");
        }

        return Task.CompletedTask;
    }

    private bool IsHotReloaded(ProjectPipeline pipeline)
    {
        lock (_hotReloads)
        {
            return _hotReloads.Any(h => h.Workload == pipeline.Deployment.Deployment.WorkloadName);
        }
    }

    // After the deployment's first rollout (the cluster, and so the kind network, exist by then, and dotnet-watch's build
    // does not compete with the first publish for the cores): open the channel and let dotnet-watch take the saves over.
    private async Task HotReloadWhenDeployedAsync(ProjectPipeline pipeline, CancellationToken stopping)
    {
        try
        {
            while (!ResourceStates.IsUsable(pipeline.Deployment.Context?.State))
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stopping).ConfigureAwait(false);
            }

            var platforms = await pipeline.Image.Image.ResolvePlatformsAsync(stopping).ConfigureAwait(false);
            if (platforms.Count != 1)
            {
                Log(pipeline, $"Hot Reload: off for {pipeline.Deployment.Name}: its image is built for {platforms.Count} platforms and dotnet watch builds for one; every save rebuilds and rolls out");
                return;
            }

            if (await OpenChannelAsync(pipeline, stopping).ConfigureAwait(false) is not { } channel)
            {
                return;
            }

            DeltaApplierFile.Locate(pipeline.ProjectDirectory);
            var hotReload = new DeploymentHotReload(pipeline, channel.Channel, channel.Environment, platforms[0].RuntimeIdentifier!,
                Path.Combine(devenv.Settings.ResolvedStateDirectory, "hotreload", pipeline.Deployment.Deployment.WorkloadName), devenv.Settings.HotReloadFoldAfter,
                stopping, line => Log(pipeline, line));
            lock (_hotReloads)
            {
                _hotReloads.Add(hotReload);
            }

            Log(pipeline, $"Hot Reload: dotnet watch takes {Path.GetFileName(pipeline.Image.Image.ProjectFile)}'s saves over; its first build rolls out once, then a save goes into the running pods");
            hotReload.Start();
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidOperationException or IOException or System.Net.Sockets.SocketException or Docker.DotNet.DockerApiException)
        {
            Log(pipeline, $"Hot Reload: off for {pipeline.Deployment.Name}: {ex.Message.Split('\n')[0]}; every save rebuilds and rolls out");
        }
    }

    private async Task<(PodUpdateChannel Channel, PodHotReloadEnvironment Environment)?> OpenChannelAsync(ProjectPipeline pipeline, CancellationToken stopping)
    {
        await _channelGate.WaitAsync(stopping).ConfigureAwait(false);
        try
        {
            if (!_channelTried)
            {
                _channelTried = true;
                _channel = await PodUpdateChannelHost.OpenAsync(devenv, line => Log(pipeline, line), stopping).ConfigureAwait(false);
            }

            return _channel;
        }
        finally
        {
            _channelGate.Release();
        }
    }

    // To the console and to the deployment's own log in the dashboard.
    private void Log(ProjectPipeline pipeline, string line)
    {
        logger.LogInformation("{Line}", line);
        pipeline.Deployment.Context?.Log.Info(line);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _watcher?.Dispose();
        DeploymentHotReload[] hotReloads;
        lock (_hotReloads)
        {
            hotReloads = [.. _hotReloads];
            _hotReloads.Clear();
        }

        foreach (var hotReload in hotReloads)
        {
            await hotReload.DisposeAsync().ConfigureAwait(false);
        }

        if (_channel is { } channel)
        {
            _channel = null;
            await channel.Channel.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    private static bool IsUnder(string path, string directory) =>
        Path.GetFullPath(path).StartsWith(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
