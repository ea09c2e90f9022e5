using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DevEnv.Hosting.Resources.Image.Pipeline;

/// <summary>
/// Layers on disk keyed by what goes into them (each file's path in the image, mode and SHA-256): an unchanged layer is
/// not written, compressed, or (since its digest is the same) uploaded again. The key covers everything the tar's bytes
/// depend on, plus a format version, so a hit is always the blob the files would give. File hashes are remembered by
/// path, size and modification time, so a warm build reads only the files that changed.
/// </summary>
public sealed class LayerCache(string directory)
{
    // v2: files carry a time from their content (ReproducibleTar.FileTime), not the epoch; a v1 blob has other bytes.
    private const string Format = "devenv-layer-v2";
    private readonly Dictionary<string, (long Length, DateTime Modified, string Hash)> _hashes = new(StringComparer.Ordinal);

    /// <summary>Where the blobs live.</summary>
    public string Directory { get; } = directory;

    /// <summary>Returns the layer of <paramref name="files"/> under /<paramref name="root"/>, from the cache or newly written.</summary>
    public BuiltLayer GetOrCreate(LayerKind kind, string root, IReadOnlyList<PublishedFile> files)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var entries = files.Select(f => new ReproducibleTar.Entry($"{root}/{f.RelativePath}", f.SourcePath, IsExecutable(f.SourcePath), Hash(f.SourcePath))).ToList();
        var key = new StringBuilder(Format).Append('\n');
        foreach (var entry in entries.OrderBy(e => e.Path, StringComparer.Ordinal))
        {
            key.Append(entry.Path).Append('\0').Append(entry.Executable ? 'x' : '-').Append('\0').Append(entry.Sha256).Append('\n');
        }

        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())));
        var index = Path.Combine(Directory, id + ".json");
        var blob = Path.Combine(Directory, id + ".tar.gz");
        if (File.Exists(index) && File.Exists(blob) && JsonSerializer.Deserialize<ReproducibleTar.Written>(File.ReadAllText(index)) is { } known && new FileInfo(blob).Length == known.Size)
        {
            return new BuiltLayer(kind, known.Digest, known.DiffId, known.Size, known.UncompressedSize, blob, entries.Count, Reused: true);
        }

        var partial = blob + ".partial";
        ReproducibleTar.Written written;
        using (var output = File.Create(partial))
        {
            written = ReproducibleTar.Write(entries, output);
        }

        File.Move(partial, blob, overwrite: true);
        File.WriteAllText(index, JsonSerializer.Serialize(written));
        return new BuiltLayer(kind, written.Digest, written.DiffId, written.Size, written.UncompressedSize, blob, entries.Count, Reused: false);
    }

    /// <summary>Deletes cached layers other than <paramref name="keep"/> (the last build's), so the cache holds one image's worth.</summary>
    public void Prune(IEnumerable<BuiltLayer> keep)
    {
        var kept = keep.Select(l => Path.GetFileName(l.BlobPath)[..^".tar.gz".Length]).ToHashSet(StringComparer.Ordinal);
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory))
        {
            var name = Path.GetFileName(file);
            var id = name.Split('.')[0];
            if (!kept.Contains(id))
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>
    /// Whether a file is a program of the image (the apphost, createdump): an ELF file without an extension. Read from the
    /// file itself, never from its mode on disk, so the same sources give the same layer on Linux, macOS and Windows
    /// (no modes there) and a content file that a checkout left executable does not change the tag.
    /// </summary>
    public static bool IsExecutable(string path)
    {
        if (Path.GetExtension(path).Length != 0)
        {
            return false;
        }

        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("\u007FELF"u8);
    }

    private string Hash(string path)
    {
        var info = new FileInfo(path);
        if (_hashes.TryGetValue(path, out var known) && known.Length == info.Length && known.Modified == info.LastWriteTimeUtc)
        {
            return known.Hash;
        }

        using var stream = File.OpenRead(path);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        _hashes[path] = (info.Length, info.LastWriteTimeUtc, hash);
        return hash;
    }
}
