using System.Diagnostics;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;

namespace DevEnv.Hosting.Resources.Image.Pipeline;

/// <summary>
/// Builds the image for one or more platforms: a <see cref="LayeredImageBuilder"/> per platform (its own publish for
/// that runtime identifier, its own obj/devenv/&lt;key&gt; folder, layers and config), one after another since publishes
/// share the cores. One platform is pushed as it is; several also get an OCI image index over their manifests, whose
/// digest gives the tag the cluster pulls (each node takes its platform's manifest). One build at a time per instance.
/// </summary>
public sealed class PlatformImageBuilder(IProcessRunner runner, IOciRegistryClient registry, string projectFile, ImageBuildOptions options, TimeProvider? time = null)
{
    private const string LastTagFile = "last-tag";
    private readonly Dictionary<string, LayeredImageBuilder> _builders = new(StringComparer.Ordinal);

    /// <summary>The options of one platform: these options with its runtime identifier.</summary>
    public ImageBuildOptions OptionsFor(ImagePlatform platform) => options with
    {
        RuntimeIdentifier = platform.RuntimeIdentifier ?? throw new ImageBuildFailedException(Unsupported(platform)),
    };

    /// <summary>The builder of one platform (kept, so its layer cache lives as long as this).</summary>
    public LayeredImageBuilder For(ImagePlatform platform)
    {
        var platformOptions = OptionsFor(platform);
        if (!_builders.TryGetValue(platformOptions.Key, out var builder))
        {
            builder = new LayeredImageBuilder(runner, registry, projectFile, platformOptions, time);
            _builders[platformOptions.Key] = builder;
        }

        return builder;
    }

    /// <summary>The tag the last build for <paramref name="platforms"/> produced (kept on disk), or null before the first.</summary>
    public string? LastTag(IReadOnlyList<ImagePlatform> platforms)
    {
        if (platforms.Count == 1)
        {
            return For(platforms[0]).LastTag;
        }

        var file = Path.Combine(IndexDirectory(platforms), LastTagFile);
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }

    /// <summary>
    /// Builds and pushes the image of the current sources for <paramref name="platforms"/> (sorted, at least one) on
    /// <paramref name="baseImage"/>, as <paramref name="repository"/>:&lt;tag&gt;, uploading only what the registry lacks.
    /// </summary>
    public async Task<BuiltImage> BuildAsync(string baseImage, IReadOnlyList<ImagePlatform> platforms, string repository, ResourceLog log, Action onPushing,
        CancellationToken cancellationToken, string? baseSource = null)
    {
        if (platforms.Count == 0)
        {
            throw new ArgumentException("At least one platform is needed.", nameof(platforms));
        }

        var images = new List<LayeredImage>();
        foreach (var platform in platforms)
        {
            if (platforms.Count > 1)
            {
                log.Info($"Building for {platform} ({OptionsFor(platform).RuntimeIdentifier})");
            }

            images.Add(await For(platform).BuildAsync(baseImage, repository, log, onPushing, cancellationToken, baseSource).ConfigureAwait(false));
        }

        if (images.Count == 1)
        {
            var only = images[0];
            return new BuiltImage(only.Tag, only.Digest, ImageDocuments.ManifestMediaType, only.Reused, images, only.PushTime, 0);
        }

        var clock = Stopwatch.StartNew();
        var entries = images.Select(i => (i.Platform, new OciDescriptor(ImageDocuments.ManifestMediaType, i.Digest, i.ManifestSize))).ToList();
        var indexBytes = ImageDocuments.Index(entries);
        var digest = ImageDocuments.Digest(indexBytes);
        var tag = ImageDocuments.Tag(digest);
        var existing = await registry.TryGetIndexAsync(repository, tag, cancellationToken).ConfigureAwait(false);
        var reused = existing is not null && existing.Select(e => e.Digest).SequenceEqual(entries.Select(e => e.Item2.Digest));
        long pushed = 0;
        if (!reused)
        {
            onPushing();
            var reported = await new BlobPusher(registry, repository).PushManifestAsync(tag, indexBytes, cancellationToken, ImageDocuments.IndexMediaType).ConfigureAwait(false);
            if (reported.Length > 0 && reported != digest)
            {
                throw new ImageBuildFailedException($"The registry stored the image index of {repository}:{tag} as {reported}, not {digest}.");
            }

            pushed = indexBytes.Length;
        }

        log.Info($"Image index {digest[..19]}, tag {tag}: {string.Join(", ", images.Select(i => $"{i.Platform} {i.Tag}"))}{(reused ? " (already in the registry)" : "")}");
        Directory.CreateDirectory(IndexDirectory(platforms));
        await File.WriteAllTextAsync(Path.Combine(IndexDirectory(platforms), LastTagFile), tag, cancellationToken).ConfigureAwait(false);
        return new BuiltImage(tag, digest, ImageDocuments.IndexMediaType, reused && images.All(i => i.Reused), images,
            images.Aggregate(clock.Elapsed, (sum, i) => sum + i.PushTime), pushed);
    }

    /// <summary>The one-line reason a platform cannot be built.</summary>
    public static string Unsupported(ImagePlatform platform) =>
        $"DevEnv cannot build for {platform}: it publishes .NET apps for {string.Join(" and ", ImagePlatform.Supported)} only (no runtime identifier for {platform.Architecture}).";

    // obj/devenv/index-<key>+<key>/: where the last index tag of this platform set is kept.
    private string IndexDirectory(IReadOnlyList<ImagePlatform> platforms) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(projectFile))!, "obj", "devenv", "index-" + string.Join("+", platforms.Select(p => OptionsFor(p).Key)));
}
