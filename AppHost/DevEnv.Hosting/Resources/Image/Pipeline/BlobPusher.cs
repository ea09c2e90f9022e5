using DevEnv.Hosting.Clients.Oci;

namespace DevEnv.Hosting.Resources.Image.Pipeline;

/// <summary>
/// Gets each blob of an image into the target repository with the fewest bytes: nothing when the registry has it
/// (HEAD), a cross-repository mount for base layers, an upload otherwise. Counts what really went over the wire.
/// </summary>
public sealed class BlobPusher(IOciRegistryClient registry, string repository)
{
    /// <summary>Bytes uploaded so far (blobs and manifest).</summary>
    public long UploadedBytes { get; private set; }

    /// <summary>Blobs uploaded so far.</summary>
    public int UploadedBlobs { get; private set; }

    /// <summary>Base layers linked by mount.</summary>
    public int MountedBlobs { get; private set; }

    /// <summary>A base layer: present, mounted from <paramref name="baseRepository"/>, or copied through this machine when the registry declines the mount.</summary>
    public async Task PushBaseLayerAsync(OciDescriptor layer, string baseRepository, CancellationToken cancellationToken)
    {
        if (await registry.GetBlobSizeAsync(repository, layer.Digest, cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        if (await registry.TryMountBlobAsync(repository, layer.Digest, baseRepository, cancellationToken).ConfigureAwait(false))
        {
            MountedBlobs++;
            return;
        }

        var temp = Path.GetTempFileName();
        try
        {
            await using (var file = File.Create(temp))
            {
                await registry.DownloadBlobAsync(baseRepository, layer.Digest, file, cancellationToken).ConfigureAwait(false);
            }

            await UploadAsync(layer.Digest, new FileInfo(temp).Length, () => File.OpenRead(temp), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>A blob of ours from a file, unless the registry has it.</summary>
    public async Task PushFileAsync(string digest, long size, string path, CancellationToken cancellationToken)
    {
        if (await registry.GetBlobSizeAsync(repository, digest, cancellationToken).ConfigureAwait(false) is null)
        {
            await UploadAsync(digest, size, () => File.OpenRead(path), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A blob of ours from memory (the config), unless the registry has it.</summary>
    public async Task PushBytesAsync(string digest, byte[] bytes, CancellationToken cancellationToken)
    {
        if (await registry.GetBlobSizeAsync(repository, digest, cancellationToken).ConfigureAwait(false) is null)
        {
            await UploadAsync(digest, bytes.Length, () => new MemoryStream(bytes, writable: false), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The manifest (or, with <paramref name="mediaType"/>, an image index) under <paramref name="tag"/>; returns the digest the registry reports.</summary>
    public async Task<string> PushManifestAsync(string tag, byte[] manifest, CancellationToken cancellationToken, string mediaType = ImageDocuments.ManifestMediaType)
    {
        var digest = await registry.PutManifestAsync(repository, tag, mediaType, manifest, cancellationToken).ConfigureAwait(false);
        UploadedBytes += manifest.Length;
        return digest;
    }

    private async Task UploadAsync(string digest, long size, Func<Stream> open, CancellationToken cancellationToken)
    {
        await registry.UploadBlobAsync(repository, digest, size, open, cancellationToken).ConfigureAwait(false);
        UploadedBytes += size;
        UploadedBlobs++;
    }
}
