using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Resources.Image.Pipeline;

namespace DevEnv.Hosting.Resources.Image;

/// <summary>
/// Copies an image the local Docker Engine has into any registry through our own client, so a remote registry (TLS,
/// credentials, tokens) gets the base image without the engine having to trust or log in to it: the engine's
/// <c>docker save</c> archive is unpacked, each layer gzip'd (as the engine would push it), and config, layers and an
/// OCI manifest pushed, skipping blobs the registry already has.
/// </summary>
public static class EngineImageCopier
{
    /// <summary>
    /// Pushes the image in <paramref name="savedArchive"/> (a <c>docker save</c> tar of one image, either the classic or
    /// the OCI-layout form) as <paramref name="repository"/>:<paramref name="tag"/>; returns the manifest digest.
    /// </summary>
    public static async Task<string> CopyAsync(Stream savedArchive, IOciRegistryClient registry, string repository, string tag, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("devenv-save-");
        try
        {
            // Spooled to disk first: the engine streams the archive, and a short stream should say so, not fail mid-extract.
            var archive = Path.Combine(folder.FullName, "saved.tar");
            await using (var file = File.Create(archive))
            {
                await savedArchive.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            var length = new FileInfo(archive).Length;
            if (length == 0 || length % 512 != 0)
            {
                throw new ImageBuildFailedException($"The Docker Engine's saved image is not a whole tar archive ({length} bytes); try `docker save` of it by hand to see why.");
            }

            await TarFile.ExtractToDirectoryAsync(archive, folder.FullName, overwriteFiles: true, cancellationToken).ConfigureAwait(false);
            var index = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder.FullName, "manifest.json"), cancellationToken).ConfigureAwait(false));
            var entry = index.RootElement.EnumerateArray().FirstOrDefault();
            if (entry.ValueKind != JsonValueKind.Object)
            {
                throw new ImageBuildFailedException("The Docker Engine's saved image has an empty manifest.json.");
            }

            var config = await File.ReadAllBytesAsync(Path.Combine(folder.FullName, entry.GetProperty("Config").GetString()!), cancellationToken).ConfigureAwait(false);
            var pusher = new BlobPusher(registry, repository);
            var layers = new List<OciDescriptor>();
            foreach (var layer in entry.GetProperty("Layers").EnumerateArray())
            {
                var blob = await GzipAsync(Path.Combine(folder.FullName, layer.GetString()!), folder.FullName, cancellationToken).ConfigureAwait(false);
                await pusher.PushFileAsync(blob.Digest, blob.Size, blob.Path, cancellationToken).ConfigureAwait(false);
                layers.Add(new OciDescriptor(ImageDocuments.LayerMediaType, blob.Digest, blob.Size));
            }

            var configDescriptor = new OciDescriptor(ImageDocuments.ConfigMediaType, ImageDocuments.Digest(config), config.Length);
            await pusher.PushBytesAsync(configDescriptor.Digest, config, cancellationToken).ConfigureAwait(false);
            var manifest = ImageDocuments.Manifest(new OciManifest("", ImageDocuments.ManifestMediaType, configDescriptor, layers), configDescriptor, []);
            var reported = await pusher.PushManifestAsync(tag, manifest, cancellationToken).ConfigureAwait(false);
            return string.IsNullOrEmpty(reported) ? ImageDocuments.Digest(manifest) : reported;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    // The engine saves layers as plain tars (older engines) or as blobs that may already be gzip'd (OCI layout).
    private static async Task<(string Path, string Digest, long Size)> GzipAsync(string layer, string folder, CancellationToken cancellationToken)
    {
        var magic = new byte[2];
        await using (var probe = File.OpenRead(layer))
        {
            _ = await probe.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }

        var target = layer;
        if (magic is not [0x1f, 0x8b])
        {
            target = Path.Combine(folder, Path.GetRandomFileName() + ".tar.gz");
            await using var input = File.OpenRead(layer);
            await using var output = File.Create(target);
            await using var gzip = new GZipStream(output, CompressionLevel.Optimal);
            await input.CopyToAsync(gzip, cancellationToken).ConfigureAwait(false);
        }

        await using var read = File.OpenRead(target);
        var digest = "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(read, cancellationToken).ConfigureAwait(false));
        return (target, digest, read.Length);
    }
}
