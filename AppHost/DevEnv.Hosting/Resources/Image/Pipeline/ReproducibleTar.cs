using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace DevEnv.Hosting.Resources.Image.Pipeline;

/// <summary>
/// Writes a layer as a reproducible gzip'd tar: the same files give the same bytes, wherever and whenever. Entries are
/// ordinal-sorted, every parent directory has its own entry before its children, a file's time comes from its content
/// (<see cref="FileTime"/>) and a directory's is the Unix epoch, owner and
/// group are 0 with no names, directories are 0755 and files 0755 when executable (<see cref="LayerCache.IsExecutable"/>),
/// else 0644. USTAR headers (no PAX atime/ctime records), GNU long names for paths over 100 bytes, and gzip with no name or time in its header and the
/// same OS byte on every host (<see cref="GzipOs"/>).
/// </summary>
public static class ReproducibleTar
{
    /// <summary>
    /// The gzip header's OS byte (RFC 1952: 255 is "unknown", what Go's gzip, and so docker and ko, write). The compressor
    /// writes its build platform's (3 on Unix, 0 or 10 elsewhere), which would give one layer different digests by host.
    /// </summary>
    public const byte GzipOs = 255;

    /// <summary>The time directories carry (and the access and change times of GNU long-name entries).</summary>
    public static DateTimeOffset Time { get; } = DateTimeOffset.UnixEpoch;

    // File times lie in [FileTimeStart, FileTimeStart + FileTimeRange) seconds after the epoch (2001-09-09 to 2033-05-18).
    private const long FileTimeStart = 1_000_000_000;
    private const long FileTimeRange = 1_000_000_000;

    /// <summary>A file of the layer: its path in the image (without leading '/'), where its bytes are, and their SHA-256 in hex when known.</summary>
    public sealed record Entry(string Path, string Source, bool Executable, string? Sha256 = null);

    /// <summary>
    /// The modification time of a file whose content has SHA-256 <paramref name="sha256Hex"/>: whole seconds taken from the
    /// digest. A fixed time for every file made ASP.NET Core's StaticFileMiddleware (whose ETag is the time XOR the length,
    /// and whose Last-Modified is the time) answer a same-length edit of a wwwroot file with the old ETag, so browsers kept
    /// the old file; a build date (ko's way) would make the same sources give another layer on every build.
    /// </summary>
    public static DateTimeOffset FileTime(string sha256Hex) =>
        DateTimeOffset.FromUnixTimeSeconds(FileTimeStart + (long)(Convert.ToUInt64(sha256Hex[..16], 16) % FileTimeRange));

    /// <summary>What was written: sha256 digests of the tar (the diff ID) and of the gzip (the blob), and their sizes.</summary>
    public sealed record Written(string DiffId, string Digest, long UncompressedSize, long Size);

    /// <summary>Writes <paramref name="entries"/> to <paramref name="output"/> as tar.gz.</summary>
    public static Written Write(IEnumerable<Entry> entries, Stream output)
    {
        var files = entries.OrderBy(e => e.Path, StringComparer.Ordinal).ToList();
        var directories = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            for (var slash = file.Path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = file.Path.IndexOf('/', slash + 1))
            {
                directories.Add(file.Path[..(slash + 1)]);
            }
        }

        using var blob = new HashingStream(output, osByte: GzipOs);
        using (var gzip = new GZipStream(blob, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new HashingStream(gzip))
        {
            using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
            {
                // Directories and files in one ordinal order: a directory "a/" sorts before everything under it.
                var all = directories.Select(d => (Path: d, File: (Entry?)null)).Concat(files.Select(f => (f.Path, File: (Entry?)f)))
                    .OrderBy(e => e.Path, StringComparer.Ordinal);
                foreach (var (path, file) in all)
                {
                    var entry = NewEntry(file is null ? TarEntryType.Directory : TarEntryType.RegularFile, path);
                    entry.ModificationTime = file is null ? Time : FileTime(file.Sha256 ?? HashOf(file.Source));
                    entry.Uid = 0;
                    entry.Gid = 0;
                    entry.Mode = file is null || file.Executable ? Mode(0b111_101_101) : Mode(0b110_100_100);
                    if (file is null)
                    {
                        writer.WriteEntry(entry);
                        continue;
                    }

                    using var data = File.OpenRead(file.Source);
                    entry.DataStream = data;
                    writer.WriteEntry(entry);
                }
            }

            tar.Flush();
            return Finish(tar, gzip, blob);
        }
    }

    private static Written Finish(HashingStream tar, GZipStream gzip, HashingStream blob)
    {
        var diffId = tar.Digest();
        var uncompressed = tar.Length;
        gzip.Dispose();
        return new Written(diffId, blob.Digest(), uncompressed, blob.Length);
    }

    private static UnixFileMode Mode(int bits) => (UnixFileMode)bits;

    private static string HashOf(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    // USTAR where the path fits its 100-byte name field, so those entries (nearly all) keep their bytes; a longer path
    // gets a GNU long-name record, which every tar and containerd read, with its access and change times pinned like the
    // modification time. USTAR's prefix field is not used: a long last component does not fit it either, and the
    // writer threw for such a path, leaving the image build without a state.
    private const int UstarNameBytes = 100;

    private static PosixTarEntry NewEntry(TarEntryType type, string path)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(path) <= UstarNameBytes)
        {
            return new UstarTarEntry(type, path) { UserName = "", GroupName = "" };
        }

        return new GnuTarEntry(type, path) { UserName = "", GroupName = "", AccessTime = Time, ChangeTime = Time };
    }

    // A write-only pass-through that hashes and counts what goes through it; given an OS byte, it sets the gzip header's
    // (offset 9) on the way, before the hash sees it.
    private sealed class HashingStream(Stream inner, byte? osByte = null) : Stream
    {
        private const int OsOffset = 9;

        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public string Digest() => "sha256:" + Convert.ToHexStringLower(_hash.GetHashAndReset());

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (osByte is { } os && _length <= OsOffset && _length + buffer.Length > OsOffset)
            {
                var patched = buffer.ToArray();
                patched[OsOffset - _length] = os;
                buffer = patched;
            }

            _hash.AppendData(buffer);
            _length += buffer.Length;
            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
