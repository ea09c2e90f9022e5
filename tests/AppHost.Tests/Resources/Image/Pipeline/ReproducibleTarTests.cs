using System.Formats.Tar;
using System.IO.Compression;
using DevEnv.Hosting.Resources.Image.Pipeline;

namespace DevEnv.AppHost.Tests.Resources.Image.Pipeline;

/// <summary>The layer tar is a function of the files' paths, bytes and executable bits, and nothing else.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ReproducibleTarTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("devenv-tar-").FullName;

    [Fact]
    public void Same_files_give_the_same_bytes_whatever_their_times_order_or_owner_and_entries_are_sorted_with_parents()
    {
        var a = Write("sub/b.txt", "bee");
        var b = Write("a.dll", "ay");
        var c = Write("run", "#!", executable: true);
        var entries = new[] { new ReproducibleTar.Entry("app/sub/b.txt", a, false), new ReproducibleTar.Entry("app/a.dll", b, false), new ReproducibleTar.Entry("app/run", c, true) };

        var first = Tar(entries, out var bytes1);
        File.SetLastWriteTimeUtc(a, DateTime.UtcNow.AddDays(-3));
        var second = Tar(entries.Reverse(), out var bytes2);

        Assert.Equal(first, second);
        Assert.Equal(bytes1, bytes2);
        Assert.StartsWith("sha256:", first.Digest);

        using var reader = new TarReader(new GZipStream(new MemoryStream(bytes1), CompressionMode.Decompress));
        var read = new List<TarEntry>();
        while (reader.GetNextEntry() is { } e)
        {
            read.Add(e);
        }

        Assert.Equal(["app/", "app/a.dll", "app/run", "app/sub/", "app/sub/b.txt"], read.Select(e => e.Name));
        Assert.All(read, e =>
        {
            Assert.Equal(e.EntryType == TarEntryType.Directory ? ReproducibleTar.Time : ReproducibleTar.FileTime(Sha256(Path.Combine(_dir, "src", e.Name["app/".Length..]))), e.ModificationTime);
            Assert.Equal(0, e.Uid);
            Assert.Equal(0, e.Gid);
            Assert.Equal(TarEntryFormat.Ustar, e.Format);
        });
        Assert.Equal((UnixFileMode)0b111_101_101, read.Single(e => e.Name == "app/").Mode);
        Assert.Equal((UnixFileMode)0b111_101_101, read.Single(e => e.Name == "app/run").Mode);
        Assert.Equal((UnixFileMode)0b110_100_100, read.Single(e => e.Name == "app/a.dll").Mode);
    }

    [Fact]
    public void A_changed_byte_or_executable_bit_changes_the_digest()
    {
        var file = Write("x.dll", "one");
        var before = Tar([new ReproducibleTar.Entry("app/x.dll", file, false)], out _);

        Assert.NotEqual(before.Digest, Tar([new ReproducibleTar.Entry("app/x.dll", file, true)], out _).Digest);
        File.WriteAllText(file, "two");
        Assert.NotEqual(before.DiffId, Tar([new ReproducibleTar.Entry("app/x.dll", file, false)], out _).DiffId);
    }

    [Fact]
    public void The_cache_reuses_a_layer_whose_files_are_unchanged_and_writes_a_new_one_otherwise()
    {
        var cache = new LayerCache(Path.Combine(_dir, "cache"));
        var file = Write("app.dll", "v1");
        PublishedFile[] files = [new("app.dll", file, LayerKind.App)];

        var first = cache.GetOrCreate(LayerKind.App, "app", files);
        var again = cache.GetOrCreate(LayerKind.App, "app", files);
        File.WriteAllText(file, "v2");
        var changed = cache.GetOrCreate(LayerKind.App, "app", files);

        Assert.False(first.Reused);
        Assert.True(again.Reused);
        Assert.Equal(first.Digest, again.Digest);
        Assert.False(changed.Reused);
        Assert.NotEqual(first.Digest, changed.Digest);
        cache.Prune([changed]);
        Assert.Equal(2, Directory.GetFiles(cache.Directory).Length); // the blob and its index
    }

    [Fact]
    public void The_mode_comes_from_what_a_file_is_not_from_its_mode_on_disk_so_every_host_gives_the_same_layer()
    {
        // An apphost (an ELF file without an extension) that a Windows checkout has no mode for, and a content file that a
        // checkout left executable: the layer is the one a Linux host with the usual modes writes.
        var appHost = Path.Combine(_dir, "src", "SampleApi");
        Directory.CreateDirectory(Path.GetDirectoryName(appHost)!);
        File.WriteAllBytes(appHost, [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0]);
        var content = Write("wwwroot/site.css", "body{}");
        var script = Write("notes", "not an ELF file");
        PublishedFile[] files = [new("SampleApi", appHost, LayerKind.App), new("notes", script, LayerKind.App), new("wwwroot/site.css", content, LayerKind.App)];

        File.SetUnixFileMode(appHost, (UnixFileMode)0b111_101_101);
        var usual = new LayerCache(Path.Combine(_dir, "usual")).GetOrCreate(LayerKind.App, "app", files);
        File.SetUnixFileMode(appHost, (UnixFileMode)0b110_100_100);
        File.SetUnixFileMode(content, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        var odd = new LayerCache(Path.Combine(_dir, "odd")).GetOrCreate(LayerKind.App, "app", files);

        Assert.Equal(usual.Digest, odd.Digest);
        using var reader = new TarReader(new GZipStream(File.OpenRead(odd.BlobPath), CompressionMode.Decompress));
        var modes = new Dictionary<string, UnixFileMode>();
        while (reader.GetNextEntry() is { } e)
        {
            modes[e.Name] = e.Mode;
        }

        Assert.Equal((UnixFileMode)0b111_101_101, modes["app/SampleApi"]);
        Assert.Equal((UnixFileMode)0b110_100_100, modes["app/notes"]);
        Assert.Equal((UnixFileMode)0b110_100_100, modes["app/wwwroot/site.css"]);
    }

    [Fact]
    public void The_gzip_header_carries_the_same_OS_byte_on_every_host_and_the_digest_is_of_the_bytes_written()
    {
        var file = Write("x.dll", "one");

        var written = Tar([new ReproducibleTar.Entry("app/x.dll", file, false)], out var bytes);

        Assert.Equal([0x1F, 0x8B], bytes[..2]);
        Assert.Equal(ReproducibleTar.GzipOs, bytes[9]);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), written.Digest);
        using var reader = new TarReader(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress));
        Assert.Equal("app/", reader.GetNextEntry()!.Name);
    }

    [Fact]
    public async Task A_name_longer_than_USTAR_holds_is_written_as_a_GNU_long_name_that_tar_extracts_and_the_bytes_stay_the_same()
    {
        var longName = new string('n', 150) + ".json";
        var deep = string.Join('/', Enumerable.Range(0, 12).Select(i => $"folder{i:00}")) + "/deep.txt";
        var entries = new[]
        {
            new ReproducibleTar.Entry("app/" + longName, Write(longName, "long"), false),
            new ReproducibleTar.Entry("app/" + deep, Write(deep, "deep"), false),
            new ReproducibleTar.Entry("app/short.txt", Write("short.txt", "short"), false),
        };

        var first = Tar(entries, out var bytes);
        Assert.Equal(first, Tar(entries.Reverse(), out _));

        // Debian's tar reads what containerd's unpacker reads: the long name, its parents and the bytes.
        var layer = Path.Combine(_dir, "layer.tar.gz");
        await File.WriteAllBytesAsync(layer, bytes, TestContext.Current.CancellationToken);
        var extracted = Directory.CreateDirectory(Path.Combine(_dir, "extracted")).FullName;
        var tar = await new DevEnv.Hosting.Clients.Process.ProcessRunner().RunAsync(
            new DevEnv.Hosting.Clients.Process.ProcessSpec("tar", ["-xzf", layer, "-C", extracted]), DevEnv.Hosting.Model.ResourceLog.None, TestContext.Current.CancellationToken);
        Assert.True(tar.ExitCode == 0, $"tar -xzf failed: {tar.Error}");
        Assert.Equal("long", File.ReadAllText(Path.Combine(extracted, "app", longName)));
        Assert.Equal("deep", File.ReadAllText(Path.Combine(extracted, "app", deep)));

        using var reader = new TarReader(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress));
        var read = new List<TarEntry>();
        while (reader.GetNextEntry() is { } e)
        {
            read.Add(e);
        }

        Assert.Equal(TarEntryFormat.Gnu, read.Single(e => e.Name == "app/" + longName).Format);
        Assert.Equal(TarEntryFormat.Ustar, read.Single(e => e.Name == "app/short.txt").Format);
        Assert.All(read.OfType<GnuTarEntry>(), e => Assert.Equal((ReproducibleTar.Time, ReproducibleTar.Time), (e.AccessTime, e.ChangeTime)));
    }

    [Fact]
    public void A_same_length_edit_gives_the_file_another_time_and_so_another_StaticFileMiddleware_ETag_and_the_same_content_the_same_bytes()
    {
        var file = Write("wwwroot/app.js", "let v = 1;");
        ReproducibleTar.Entry[] entries = [new("app/wwwroot/app.js", file, false)];

        Tar(entries, out var first);
        File.WriteAllText(file, "let v = 2;");
        Tar(entries, out var edited);
        File.WriteAllText(file, "let v = 1;");
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-2));
        Tar(entries, out var again);

        var (before, after) = (FileEntry(first), FileEntry(edited));
        Assert.Equal(before.Length, after.Length);
        Assert.NotEqual(before.ModificationTime, after.ModificationTime);
        // StaticFileMiddleware's ETag: the file's time (whole seconds) as a Windows file time XOR its length, in hex.
        Assert.NotEqual(ETag(before), ETag(after));
        Assert.Equal(0, before.ModificationTime.Millisecond);
        Assert.InRange(before.ModificationTime, new DateTimeOffset(2001, 9, 9, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2033, 5, 19, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(first, again);
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string relative, string text, bool executable = false)
    {
        var path = Path.Combine(_dir, "src", relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, executable ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100);
        }
        return path;
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

    private static string ETag(TarEntry file) => Convert.ToString(file.ModificationTime.ToFileTime() ^ file.Length, 16);

    private static TarEntry FileEntry(byte[] layer)
    {
        using var reader = new TarReader(new GZipStream(new MemoryStream(layer), CompressionMode.Decompress));
        while (reader.GetNextEntry(copyData: true) is { } e)
        {
            if (e.EntryType == TarEntryType.RegularFile)
            {
                return e;
            }
        }

        throw new InvalidOperationException("the layer has no file");
    }

    private static ReproducibleTar.Written Tar(IEnumerable<ReproducibleTar.Entry> entries, out byte[] bytes)
    {
        using var output = new MemoryStream();
        var written = ReproducibleTar.Write(entries, output);
        bytes = output.ToArray();
        Assert.Equal(bytes.LongLength, written.Size);
        return written;
    }
}
