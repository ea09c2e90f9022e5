namespace DevEnv.Hosting.Watch;

/// <summary>
/// Watches source folders (SampleApi, ServiceDefaults) and reports changed files after a quiet period.
/// Build output (bin/, obj/), hidden folders (.git, .vs) and editor temp files are ignored, so a build
/// does not trigger another build.
/// </summary>
public sealed class SourceWatcher : IDisposable
{
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Debouncer _debouncer;

    /// <summary>Starts watching <paramref name="directories"/> (recursively); <paramref name="onChanged"/> gets the changed paths of each burst.</summary>
    public SourceWatcher(IEnumerable<string> directories, TimeSpan quietPeriod, TimeProvider time, Action<IReadOnlyList<string>> onChanged)
    {
        _debouncer = new Debouncer(quietPeriod, time, onChanged);
        foreach (var directory in directories)
        {
            if (!Directory.Exists(directory))
            {
                throw new DirectoryNotFoundException($"Cannot watch '{directory}': the folder does not exist (check DEVENV_SOURCE_ROOT).");
            }

            var watcher = new FileSystemWatcher(directory)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
                InternalBufferSize = 64 * 1024,
            };
            watcher.Changed += (_, e) => OnEvent(directory, e.FullPath);
            watcher.Created += (_, e) => OnEvent(directory, e.FullPath);
            watcher.Deleted += (_, e) => OnEvent(directory, e.FullPath);
            watcher.Renamed += (_, e) => OnEvent(directory, e.FullPath);
            // An overflow loses events; treat it as "something changed" rather than missing an edit.
            watcher.Error += (_, _) => _debouncer.Signal(directory);
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }

        Directories = [.. directories];
    }

    /// <summary>The folders watched.</summary>
    public IReadOnlyList<string> Directories { get; }

    /// <summary>Whether a change to <paramref name="path"/> (under <paramref name="root"/>) should trigger a build.</summary>
    public static bool IsSource(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path);
        var parts = relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        if (parts.Any(p => p is "bin" or "obj" or "node_modules" || (p.StartsWith('.') && p != "." && p != "..")))
        {
            return false;
        }

        var name = parts[^1];
        // Editors write swap and backup files next to the real one; only the real save counts.
        return !(name.EndsWith('~') || name.EndsWith(".swp", StringComparison.Ordinal) || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase) || name.StartsWith(".#", StringComparison.Ordinal));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _debouncer.Dispose();
    }

    private void OnEvent(string root, string path)
    {
        if (IsSource(root, path))
        {
            _debouncer.Signal(path);
        }
    }
}
