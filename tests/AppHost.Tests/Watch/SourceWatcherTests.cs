using DevEnv.Hosting.Watch;

namespace DevEnv.AppHost.Tests.Watch;

/// <summary>The watcher on a real folder with real file-system events (the debounce itself is tested on a fake clock).</summary>
public sealed class SourceWatcherTests : IDisposable
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;
    private readonly string _root = Directory.CreateTempSubdirectory("devenv-watch-").FullName;

    [Fact]
    public async Task Editing_a_source_file_reports_it_once_and_build_output_is_ignored()
    {
        Directory.CreateDirectory(Path.Combine(_root, "bin"));
        var source = Path.Combine(_root, "Program.cs");
        await File.WriteAllTextAsync(source, "// v1", Ct);
        var bursts = new List<IReadOnlyList<string>>();
        var reported = new TaskCompletionSource();
        using var watcher = new SourceWatcher([_root], TimeSpan.FromMilliseconds(100), TimeProvider.System, changed =>
        {
            lock (bursts)
            {
                bursts.Add(changed);
            }

            reported.TrySetResult();
        });

        await File.WriteAllTextAsync(Path.Combine(_root, "bin", "SampleApi.dll"), "binary", Ct);
        await File.WriteAllTextAsync(source, "// v2", Ct);
        await File.AppendAllTextAsync(source, "\n// v3", Ct);
        await reported.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        var burst = Assert.Single(bursts);
        Assert.Equal([source], burst);
    }

    [Fact]
    public void A_missing_folder_is_reported_by_path()
    {
        var missing = Path.Combine(_root, "nope");
        var ex = Assert.Throws<DirectoryNotFoundException>(() => new SourceWatcher([missing], TimeSpan.FromMilliseconds(100), TimeProvider.System, _ => { }));
        Assert.Contains(missing, ex.Message);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
