using DevEnv.Hosting.Application;
using DevEnv.Hosting.Resources.Deployment;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DevEnv.Hosting.Watch;

/// <summary>
/// Watches every deployed project's folder and the folders of the projects it references (ServiceDefaults) while
/// <c>up</c> runs: a save rebuilds, pushes and rolls out (debounced; an edit during a build supersedes it). A change in
/// a shared project rebuilds every project that references it.
/// </summary>
public sealed class SourceWatchService(DevEnvServices devenv, WorkloadCatalog catalog, IHostApplicationLifetime lifetime, ILogger<SourceWatchService> logger)
    : IHostedService, IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);
    private readonly List<(ProjectPipeline Pipeline, RebuildLoop Loop)> _loops = [];
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
            var shown = string.Join(", ", changed.Take(3).Select(p => Path.GetRelativePath(devenv.Settings.SourceRoot, p)));
            logger.LogInformation("Changed: {Files}{More}; rebuilding", shown, changed.Count > 3 ? $" and {changed.Count - 3} more" : "");
            foreach (var (pipeline, loop) in _loops)
            {
                if (changed.Any(path => pipeline.SourceDirectories.Any(directory => IsUnder(path, directory))))
                {
                    loop.Trigger();
                }
            }
        });
        logger.LogInformation("Watching {Folders} for changes", string.Join(", ", folders.Select(f => Path.GetRelativePath(devenv.Settings.SourceRoot, f))));
        foreach (var warning in SlowBuildSettings.Warnings(Environment.GetEnvironmentVariable))
        {
            logger.LogWarning("{Warning}", warning);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _watcher?.Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _watcher?.Dispose();

    private static bool IsUnder(string path, string directory) =>
        Path.GetFullPath(path).StartsWith(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
