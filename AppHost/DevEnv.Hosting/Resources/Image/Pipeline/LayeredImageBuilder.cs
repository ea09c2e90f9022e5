using System.Diagnostics;
using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;

namespace DevEnv.Hosting.Resources.Image.Pipeline;

/// <summary>
/// The image pipeline, on its own (the image resource calls it): publish, sort the output into layers by MSBuild's item
/// metadata, reuse or write each layer, derive config, manifest and tag from them, ask the registry whether it has that
/// image, and upload only what it lacks. Its folders, per option set: bin/devenv/&lt;key&gt;/ (publish) and
/// obj/devenv/&lt;key&gt;/ (item list, layer cache, the last tag). One build at a time per instance.
/// </summary>
public sealed class LayeredImageBuilder(IProcessRunner runner, IOciRegistryClient registry, string projectFile, ImageBuildOptions options, TimeProvider? time = null)
{
    private const string LastTagFile = "last-tag";
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly LayerCache _cache = new(Path.Combine(WorkDirectory(projectFile, options), "layers"));

    /// <summary>The platform the image is for: the one the options' runtime identifier runs on.</summary>
    public ImagePlatform Platform { get; } = ImagePlatform.OfRuntimeIdentifier(options.RuntimeIdentifier)
        ?? throw new ArgumentException($"DevEnv cannot tell which image platform runtime identifier {options.RuntimeIdentifier} is for (it maps linux-x64 and linux-arm64).", nameof(options));

    /// <summary>The publish folder of this option set.</summary>
    public string PublishDirectory { get; } = Path.Combine(Path.GetDirectoryName(projectFile)!, "bin", "devenv", options.Key);

    /// <summary>The tag the last build of this project and option set produced (kept on disk), or null before the first.</summary>
    public string? LastTag => File.Exists(Path.Combine(WorkDirectory(projectFile, options), LastTagFile))
        ? File.ReadAllText(Path.Combine(WorkDirectory(projectFile, options), LastTagFile)).Trim()
        : null;

    /// <summary>
    /// Builds the image of the current sources on <paramref name="baseImage"/> (a reference into this registry, e.g. a
    /// seeded copy) and pushes it as <paramref name="repository"/>:&lt;tag&gt; unless the registry has it. A base that is an
    /// image index gives its <see cref="Platform"/> manifest; a single-platform base must be of that platform.
    /// <paramref name="onPushing"/> runs when an upload starts; <paramref name="baseSource"/> is the base as the user
    /// named it (DEVENV_BASE_IMAGE), for errors.
    /// </summary>
    public async Task<LayeredImage> BuildAsync(string baseImage, string repository, ResourceLog log, Action onPushing, CancellationToken cancellationToken, string? baseSource = null)
    {
        var (baseRepository, baseReference) = InRegistry(baseImage);
        var named = baseSource is null || baseSource == baseImage ? baseImage : $"{baseSource} (in the registry as {baseImage})";
        OciManifest baseManifest;
        try
        {
            baseManifest = await registry.TryGetManifestAsync(baseRepository, baseReference, Platform, cancellationToken).ConfigureAwait(false)
                ?? throw new ImageBuildFailedException($"Base image {baseImage} is not in the registry at {registry.BaseAddress}; it has to be copied there first (the image resource seeds it from the local Docker Engine).");
        }
        catch (OciPlatformMissingException ex)
        {
            throw new ImageBuildFailedException($"Base image {named} has no {Platform} image (its index has {ex.Available}); "
                + $"set DEVENV_BASE_IMAGE to an image with a {Platform} variant, or build for the platforms it has (DEVENV_PLATFORMS).");
        }

        var baseConfig = await registry.GetBlobAsync(baseRepository, baseManifest.Config.Digest, cancellationToken).ConfigureAwait(false);
        if (BasePlatformMismatch(baseConfig, Platform) is { } actual)
        {
            throw new ImageBuildFailedException($"Base image {named} is {actual}, but the app image is built for {Platform}; "
                + $"set DEVENV_BASE_IMAGE to a {Platform} (or multi-platform) image, or build for {actual} (DEVENV_PLATFORMS).");
        }

        var work = WorkDirectory(projectFile, options);
        var published = await new AppPublisher(runner).PublishAsync(projectFile, options, PublishDirectory, Path.Combine(work, "publish-items.json"), log, cancellationToken).ConfigureAwait(false);
        var publishedAt = _time.GetUtcNow();
        var clock = Stopwatch.StartNew();

        IReadOnlyList<PublishedFile> imageFiles = options.FromWatchBuild ? [.. published.Files, HotReloadAgent(projectFile)] : published.Files;
        var layers = new List<BuiltLayer>();
        foreach (var kind in Enum.GetValues<LayerKind>())
        {
            var files = imageFiles.Where(f => f.Kind == kind).ToList();
            if (files.Count > 0)
            {
                layers.Add(_cache.GetOrCreate(kind, ImageDocuments.AppDirectory.TrimStart('/'), files));
            }
        }

        var configBytes = ImageDocuments.Config(baseConfig, layers, published.Executable, Platform);
        var config = new OciDescriptor(ImageDocuments.ConfigMediaType, ImageDocuments.Digest(configBytes), configBytes.Length);
        var manifestBytes = ImageDocuments.Manifest(baseManifest, config, layers);
        var digest = ImageDocuments.Digest(manifestBytes);
        var tag = ImageDocuments.Tag(digest);
        log.Info("Layers: " + string.Join(", ", layers.Select(l => $"{l.Kind.ToString().ToLowerInvariant()} {l.Files} files {l.Size / 1e6:0.00} MB{(l.Reused ? " (cached)" : "")}"))
            + $" on {baseManifest.Layers.Count} base layer(s); {Platform} image {digest[..19]}, tag {tag}");

        var pusher = new BlobPusher(registry, repository);
        var existing = await registry.TryGetManifestAsync(repository, tag, cancellationToken).ConfigureAwait(false);
        var reused = existing?.Digest == digest;
        if (!reused)
        {
            onPushing();
            foreach (var layer in baseManifest.Layers)
            {
                await pusher.PushBaseLayerAsync(layer, baseRepository, cancellationToken).ConfigureAwait(false);
            }

            foreach (var layer in layers)
            {
                await pusher.PushFileAsync(layer.Digest, layer.Size, layer.BlobPath, cancellationToken).ConfigureAwait(false);
            }

            await pusher.PushBytesAsync(config.Digest, configBytes, cancellationToken).ConfigureAwait(false);
            var reported = await pusher.PushManifestAsync(tag, manifestBytes, cancellationToken).ConfigureAwait(false);
            if (reported.Length > 0 && reported != digest)
            {
                throw new ImageBuildFailedException($"The registry stored the manifest of {repository}:{tag} as {reported}, not {digest}.");
            }

            existing = await registry.TryGetManifestAsync(repository, tag, cancellationToken).ConfigureAwait(false)
                ?? throw new ImageBuildFailedException($"The registry accepted {repository}:{tag} but does not serve it.");
        }

        var uncompressed = layers.Sum(l => l.UncompressedSize);
        foreach (var layer in baseManifest.Layers)
        {
            uncompressed += await registry.GetUncompressedSizeAsync(baseRepository, layer, cancellationToken).ConfigureAwait(false);
        }

        _cache.Prune(layers);
        await File.WriteAllTextAsync(Path.Combine(work, LastTagFile), tag, cancellationToken).ConfigureAwait(false);
        return new LayeredImage(tag, digest, existing!, manifestBytes.Length, Platform, layers, reused, published.Elapsed, clock.Elapsed, pusher.UploadedBytes, pusher.UploadedBlobs, uncompressed, publishedAt);
    }

    /// <summary>
    /// The platform a base config says it is, when that is not <paramref name="platform"/>; null when it matches or says
    /// nothing (a config without architecture is taken as the platform asked for).
    /// </summary>
    public static string? BasePlatformMismatch(byte[] baseConfig, ImagePlatform platform)
    {
        var config = System.Text.Json.Nodes.JsonNode.Parse(baseConfig) as System.Text.Json.Nodes.JsonObject;
        var os = config?["os"]?.GetValue<string>() ?? platform.Os;
        var architecture = config?["architecture"]?.GetValue<string>() ?? platform.Architecture;
        var actual = ImagePlatform.OfEngine(os, architecture);
        return actual == platform ? null : actual.ToString();
    }

    // The SDK's Hot Reload agent at /app/devenv-hotreload/: it changes with the SDK only, like the runtime's native files.
    private static PublishedFile HotReloadAgent(string projectFile) => new(
        HotReload.DeltaApplierFile.PathInImage[(ImageDocuments.AppDirectory.TrimEnd('/').Length + 1)..],
        HotReload.DeltaApplierFile.Locate(Path.GetDirectoryName(Path.GetFullPath(projectFile))!),
        LayerKind.Runtime);

    /// <summary>obj/devenv/&lt;options key&gt;/ of the project: item list, layer cache, last tag.</summary>
    public static string WorkDirectory(string projectFile, ImageBuildOptions options) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(projectFile))!, "obj", "devenv", options.Key);

    // "localhost:5001/runtime-deps:10.0-abc" → ("runtime-deps", "10.0-abc"): the registry host is ours, whichever name it goes by.
    private static (string Repository, string Reference) InRegistry(string image)
    {
        var (repository, reference, _) = ImageReference.Split(image);
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        return (slash >= 0 && BaseImageResolver.RegistryHost(image) != "registry-1.docker.io" ? repository[(slash + 1)..] : repository, reference);
    }
}
