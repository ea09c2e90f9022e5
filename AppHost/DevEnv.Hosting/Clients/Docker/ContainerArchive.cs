using System.Formats.Tar;

namespace DevEnv.Hosting.Clients.Docker;

/// <summary>
/// The tar streams of <c>PUT</c> and <c>GET /containers/{id}/archive</c> for single files. Writing through an
/// archive needs no shell or <c>cp</c> in the container (scratch images have neither) and works whether it runs or not.
/// </summary>
internal static class ContainerArchive
{
    /// <summary>
    /// A tar holding <paramref name="path"/> (absolute) relative to the root, to be extracted at <c>/</c>: the daemon
    /// creates missing parent directories (0755) while unpacking, so the caller need not.
    /// </summary>
    public static MemoryStream Pack(string path, ReadOnlyMemory<byte> content, UnixFileMode mode, DateTimeOffset modified)
    {
        if (!path.StartsWith('/') || path.EndsWith('/'))
        {
            throw new ArgumentException($"'{path}' is not an absolute file path", nameof(path));
        }

        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            // PAX keeps long names intact; Docker's Go tar reader understands it.
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path.TrimStart('/'))
            {
                DataStream = new MemoryStream(content.ToArray()),
                Mode = mode,
                ModificationTime = modified,
            });
        }

        tar.Position = 0;
        return tar;
    }

    /// <summary>The content of the first regular file in a tar stream (what the daemon sends for a file path).</summary>
    public static async Task<byte[]> ReadFirstFileAsync(Stream tar, string path, CancellationToken cancellationToken)
    {
        await using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            {
                using var content = new MemoryStream();
                if (entry.DataStream is not null)
                {
                    await entry.DataStream.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
                }

                return content.ToArray();
            }
        }

        throw new InvalidDataException($"{path} is not a regular file");
    }
}
