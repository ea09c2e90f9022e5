using System.Formats.Tar;
using System.IO.Compression;
using DevEnv.Hosting.Resources.Image;
using DevEnv.Hosting.Resources.Image.Pipeline;

namespace DevEnv.AppHost.Tests.Resources.Image.Pipeline;

/// <summary>
/// Issue 24 item 10 with real files and real symbolic links: a link out of the publish folder and a link loop each fail
/// the build with one line (ImageBuildFailedException, which the image resource shows as Failed), never a host file in a
/// layer, never a hang; a link to a file inside the folder goes into the layer as that file's bytes.
/// </summary>
public sealed class PublishFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("devenv-links-").FullName;

    private string Publish => Path.Combine(_dir, "publish");

    [Fact]
    public void A_link_to_a_file_inside_the_folder_goes_into_the_layer_as_that_file()
    {
        Directory.CreateDirectory(Path.Combine(Publish, "wwwroot"));
        File.WriteAllText(Path.Combine(Publish, "wwwroot", "site.css"), "body{}");
        File.CreateSymbolicLink(Path.Combine(Publish, "alias.css"), Path.Combine("wwwroot", "site.css"));

        var (files, _) = PublishItems.Classify("{}", Publish);
        var layer = new LayerCache(Path.Combine(_dir, "cache")).GetOrCreate(LayerKind.App, "app", files);

        using var tar = new TarReader(new GZipStream(File.OpenRead(layer.BlobPath), CompressionMode.Decompress));
        var entries = new Dictionary<string, string>();
        while (tar.GetNextEntry() is { } entry)
        {
            entries[entry.Name] = entry.DataStream is null ? entry.EntryType.ToString() : new StreamReader(entry.DataStream).ReadToEnd();
        }

        Assert.Equal("body{}", entries["app/alias.css"]);
        Assert.Equal("body{}", entries["app/wwwroot/site.css"]);
    }

    [Fact]
    public void A_link_out_of_the_folder_fails_with_one_line_and_no_host_file_is_read()
    {
        Directory.CreateDirectory(Publish);
        File.WriteAllText(Path.Combine(_dir, "host-secret.txt"), "host file");
        File.CreateSymbolicLink(Path.Combine(Publish, "passwd"), Path.Combine(_dir, "host-secret.txt"));

        var ex = Assert.Throws<ImageBuildFailedException>(() => PublishItems.Classify("{}", Publish));

        Assert.Contains("passwd", ex.Message, StringComparison.Ordinal);
        Assert.Contains("leads out of it", ex.Message, StringComparison.Ordinal);
        Assert.Contains("copy the file", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task A_link_loop_and_a_link_back_up_the_folder_each_fail_with_one_line_within_seconds()
    {
        Directory.CreateDirectory(Publish);
        File.WriteAllText(Path.Combine(Publish, "app.dll"), "x");
        File.CreateSymbolicLink(Path.Combine(Publish, "a"), Path.Combine(Publish, "b"));
        File.CreateSymbolicLink(Path.Combine(Publish, "b"), Path.Combine(Publish, "a"));

        var loop = await Assert.ThrowsAsync<ImageBuildFailedException>(() => Task.Run(() => PublishItems.Classify("{}", Publish)).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
        Assert.Contains("symbolic link loop", loop.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', loop.Message);

        File.Delete(Path.Combine(Publish, "a"));
        File.Delete(Path.Combine(Publish, "b"));
        Directory.CreateDirectory(Path.Combine(Publish, "sub"));
        Directory.CreateSymbolicLink(Path.Combine(Publish, "sub", "up"), Publish);
        var up = await Assert.ThrowsAsync<ImageBuildFailedException>(() => Task.Run(() => PublishItems.Classify("{}", Publish)).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
        Assert.Contains("to a directory", up.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', up.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
