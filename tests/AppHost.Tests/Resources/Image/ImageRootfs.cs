using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Configuration;

namespace DevEnv.AppHost.Tests.Resources.Image;

/// <summary>
/// An image as a registry serves it, unpacked: its config and its layers extracted in order into a temporary folder,
/// read back through our OCI client, so a test checks what a node would pull rather than the publish folder.
/// </summary>
public sealed class ImageRootfs : IDisposable
{
    private ImageRootfs(string root, JsonObject config)
    {
        Root = root;
        Config = config;
    }

    /// <summary>The unpacked file system.</summary>
    public string Root { get; }

    /// <summary>The image config (os, architecture, config.Entrypoint, config.Env ...).</summary>
    public JsonObject Config { get; }

    /// <summary>The entrypoint's file under <see cref="Root"/>.</summary>
    public string Entrypoint => Path.Combine(Root, Config["config"]!["Entrypoint"]![0]!.GetValue<string>().TrimStart('/'));

    /// <summary>The config's Env as a dictionary.</summary>
    public IReadOnlyDictionary<string, string> Environment => (Config["config"]?["Env"] as JsonArray ?? [])
        .Select(e => e!.GetValue<string>().Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);

    /// <summary>Pulls <paramref name="repository"/>:<paramref name="reference"/> for <paramref name="platform"/> and unpacks it.</summary>
    public static async Task<ImageRootfs> PullAsync(IOciRegistryClient registry, string repository, string reference, ImagePlatform platform, CancellationToken cancellationToken)
    {
        var manifest = await registry.TryGetManifestAsync(repository, reference, platform, cancellationToken)
            ?? throw new InvalidOperationException($"{repository}:{reference} is not in the registry");
        var config = System.Text.Json.Nodes.JsonNode.Parse(await registry.GetBlobAsync(repository, manifest.Config.Digest, cancellationToken))!.AsObject();
        var root = Directory.CreateTempSubdirectory("devenv-rootfs-").FullName;
        try
        {
            foreach (var layer in manifest.Layers)
            {
                var blob = Path.Combine(root, "..", Path.GetFileName(root) + ".layer");
                await using (var file = File.Create(blob))
                {
                    await registry.DownloadBlobAsync(repository, layer.Digest, file, cancellationToken);
                }

                await using (var gzip = new GZipStream(File.OpenRead(blob), CompressionMode.Decompress))
                {
                    await TarFile.ExtractToDirectoryAsync(gzip, root, overwriteFiles: true, cancellationToken);
                }

                File.Delete(blob);
            }
        }
        catch
        {
            Directory.Delete(root, recursive: true);
            throw;
        }

        return new ImageRootfs(root, config);
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(Root, recursive: true);
}
