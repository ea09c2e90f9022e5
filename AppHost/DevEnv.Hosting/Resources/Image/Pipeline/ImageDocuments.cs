using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Configuration;

namespace DevEnv.Hosting.Resources.Image.Pipeline;

/// <summary>
/// The image config and manifest, as bytes whose digests are the image's identity. Both are pure functions of the base
/// (its config and manifest), our layers and the app contract below, written with a fixed time, so equal inputs give
/// an equal image digest, and the tag is taken from it.
/// </summary>
public static class ImageDocuments
{
    /// <summary>The OCI image manifest media type we write.</summary>
    public const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>The OCI image index media type: one manifest per platform.</summary>
    public const string IndexMediaType = "application/vnd.oci.image.index.v1+json";

    /// <summary>The OCI config media type.</summary>
    public const string ConfigMediaType = "application/vnd.oci.image.config.v1+json";

    /// <summary>The OCI gzip layer media type.</summary>
    public const string LayerMediaType = "application/vnd.oci.image.layer.v1.tar+gzip";

    /// <summary>Where the app lives in the image (WorkingDir).</summary>
    public const string AppDirectory = "/app";

    /// <summary>The uid the app runs as: the runtime-deps images' <c>app</c> user.</summary>
    public const string User = "1654";

    /// <summary>The port the app listens on and the image declares, whatever the base says.</summary>
    public const int Port = 8080;

    /// <summary>
    /// Our config: the base's, with our layers' diff IDs appended, and the app contract on top: entrypoint, user 1654,
    /// WorkingDir /app, ASPNETCORE_HTTP_PORTS=8080 (any ASPNETCORE_URLS of the base removed, since it would win), port 8080.
    /// <c>os</c> and <c>architecture</c> are the platform the app was published for (the pipeline has checked that the
    /// base is of that platform too); a variant the base names is kept.
    /// </summary>
    public static byte[] Config(byte[] baseConfig, IReadOnlyList<BuiltLayer> layers, string executable, ImagePlatform platform)
    {
        var config = JsonNode.Parse(baseConfig)?.AsObject() ?? throw new ImageBuildFailedException("The base image's config is empty.");
        config["created"] = "1970-01-01T00:00:00Z";
        config["architecture"] = platform.Architecture;
        config["os"] = platform.Os;
        var settings = config["config"] as JsonObject ?? [];
        config["config"] = settings;
        var env = (settings["Env"] as JsonArray)?.Select(e => e?.GetValue<string>()).OfType<string>()
            .Where(e => !e.StartsWith("ASPNETCORE_HTTP_PORTS=", StringComparison.Ordinal) && !e.StartsWith("ASPNETCORE_URLS=", StringComparison.Ordinal)).ToList() ?? [];
        env.Add($"ASPNETCORE_HTTP_PORTS={Port}");
        settings["Env"] = new JsonArray(env.Select(e => (JsonNode?)JsonValue.Create(e)).ToArray());
        settings["Entrypoint"] = new JsonArray(JsonValue.Create($"{AppDirectory}/{executable}"));
        settings.Remove("Cmd");
        settings["User"] = User;
        settings["WorkingDir"] = AppDirectory;
        var ports = settings["ExposedPorts"] as JsonObject ?? [];
        ports[$"{Port}/tcp"] = new JsonObject();
        settings["ExposedPorts"] = ports;

        var rootfs = config["rootfs"] as JsonObject ?? new JsonObject { ["type"] = "layers" };
        var diffIds = rootfs["diff_ids"] as JsonArray ?? [];
        foreach (var layer in layers)
        {
            diffIds.Add(layer.DiffId);
        }

        rootfs["diff_ids"] = diffIds;
        config["rootfs"] = rootfs;
        // History must line up with the layers when the base keeps one; without it, none is needed.
        if (config["history"] is JsonArray history)
        {
            foreach (var layer in layers)
            {
                history.Add(new JsonObject { ["created"] = "1970-01-01T00:00:00Z", ["created_by"] = $"devenv: {layer.Kind.ToString().ToLowerInvariant()} layer ({layer.Files} files)" });
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(config);
    }

    /// <summary>The manifest: the base's layers (mounted from its repository), then ours, and the config.</summary>
    public static byte[] Manifest(OciManifest baseManifest, OciDescriptor config, IReadOnlyList<BuiltLayer> layers)
    {
        var all = baseManifest.Layers.Select(l => Descriptor(OciLayerType(l.MediaType), l.Digest, l.Size))
            .Concat(layers.Select(l => Descriptor(LayerMediaType, l.Digest, l.Size)));
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = ManifestMediaType,
            ["config"] = Descriptor(config.MediaType, config.Digest, config.Size),
            ["layers"] = new JsonArray(all.Select(d => (JsonNode?)d).ToArray()),
        };
        return JsonSerializer.SerializeToUtf8Bytes(manifest);
    }

    /// <summary>
    /// The image index of a multi-platform image: each platform's manifest, in the order given (the caller sorts), with
    /// its platform. A pure function of the manifests, so equal manifests give an equal index digest and tag.
    /// </summary>
    public static byte[] Index(IReadOnlyList<(ImagePlatform Platform, OciDescriptor Manifest)> manifests)
    {
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = IndexMediaType,
            ["manifests"] = new JsonArray(manifests.Select(m =>
            {
                var entry = Descriptor(m.Manifest.MediaType, m.Manifest.Digest, m.Manifest.Size);
                entry["platform"] = new JsonObject { ["architecture"] = m.Platform.Architecture, ["os"] = m.Platform.Os };
                return (JsonNode?)entry;
            }).ToArray()),
        };
        return JsonSerializer.SerializeToUtf8Bytes(index);
    }

    /// <summary>"sha256:&lt;hex&gt;" of <paramref name="bytes"/>.</summary>
    public static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The tag of an image digest: "src-" and its first 12 hex digits.</summary>
    public static string Tag(string digest) => "src-" + digest[(digest.IndexOf(':', StringComparison.Ordinal) + 1)..][..12];

    // A Docker schema 2 base layer is the same gzip'd tar under another name; an OCI manifest names it the OCI way.
    private static string OciLayerType(string mediaType) => mediaType switch
    {
        "application/vnd.docker.image.rootfs.diff.tar.gzip" => LayerMediaType,
        "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip" => "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
        _ => mediaType,
    };

    private static JsonObject Descriptor(string mediaType, string digest, long size) => new() { ["mediaType"] = mediaType, ["digest"] = digest, ["size"] = size };
}
