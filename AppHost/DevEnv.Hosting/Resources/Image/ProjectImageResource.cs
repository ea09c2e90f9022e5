using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Image.Pipeline;

namespace DevEnv.Hosting.Resources.Image;

/// <summary>
/// The app's container image, built by <see cref="LayeredImageBuilder"/>: <c>dotnet publish</c> self-contained and
/// trimmed, its output in layers ordered by how often they change, on a base copied into the local registry, tagged by
/// the image's own digest. An unchanged output gives the same image, so the registry already has it and nothing is
/// uploaded; a one-line change uploads the app layer, the config and the manifest. A failed build leaves the last good
/// image recorded (and deployed); <see cref="ImageAvailable"/> and the snapshot's <see cref="ImageProperties.Tag"/>
/// announce each new image. A build may use other options than <see cref="Options"/> (the trimmed image on demand in a
/// fast session); each option set keeps its own builder, folders and last tag, and the last good image is whichever built last.
/// </summary>
public sealed partial class ProjectImageResource(string name, EnvironmentSettings settings, IProcessRunner runner, IOciRegistryClient registry, TimeProvider? time = null)
    : Reconciler(name), IStatusProbe
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, PlatformImageBuilder> _builders = new(StringComparer.Ordinal);
    private IReadOnlyList<ImagePlatform>? _lastPlatforms;

    /// <inheritdoc />
    public override string Kind => "Image";

    /// <summary>How the image is published (default: Release, self-contained, fully trimmed).</summary>
    public ImageBuildOptions Options { get; init; } = ImageBuildOptions.Default;

    /// <summary>
    /// The platforms to build for (default <see cref="EnvironmentSettings.Platforms"/>); empty: the Docker Engine's own
    /// (<see cref="EnginePlatform"/>), which is what kind's nodes run on.
    /// </summary>
    public IReadOnlyList<ImagePlatform> Platforms { get; init; } = settings.Platforms;

    /// <summary>
    /// Asks the Docker Engine for its platform (GET /version) when <see cref="Platforms"/> is empty; null: the platform of
    /// <see cref="Options"/>' runtime identifier (linux-x64 by default).
    /// </summary>
    public Func<CancellationToken, Task<ImagePlatform>>? EnginePlatform { get; init; }

    /// <summary>The base image (default <see cref="EnvironmentSettings.BaseImage"/>).</summary>
    public string BaseImage { get; init; } = settings.BaseImage;

    /// <summary>
    /// Seeds a base image the local Docker Engine has into our registry when its own registry cannot serve it (built locally, or unreachable);
    /// null publishes from <see cref="BaseImage"/> as it is.
    /// </summary>
    public BaseImageResolver? BaseImages { get; init; }

    /// <summary>The project file being published.</summary>
    public string ProjectFile { get; init; } = Path.Combine(settings.AppProjectDirectory, Path.GetFileName(settings.AppProject.TrimEnd('/')) + ".csproj");

    /// <summary>The last image that built and pushed, kept across failed builds.</summary>
    public ImageBuild? LastGood { get; private set; }

    /// <summary>Raised after each successful build with a new image (not for a reused tag that was already current).</summary>
    public event EventHandler<ImageBuild>? ImageAvailable;

    /// <summary>
    /// The tag of the last image built (in this process, else the last one recorded on disk for these options), or null
    /// before the first build. The tag comes from the image's digest, so only a publish can tell the tag of new sources.
    /// </summary>
    public string? ComputeTag() => LastGood?.Tag ?? BuilderFor(Options).LastTag(_lastPlatforms ?? (Platforms.Count > 0 ? Platforms : [OptionsPlatform]));

    // One builder per option set, kept so that its layer cache lives as long as this resource.
    private PlatformImageBuilder BuilderFor(ImageBuildOptions options) =>
        _builders.GetOrAdd(options.Key, _ => new PlatformImageBuilder(runner, registry, ProjectFile, options, _time));

    private ImagePlatform OptionsPlatform => ImagePlatform.OfRuntimeIdentifier(Options.RuntimeIdentifier)
        ?? throw new ImageBuildFailedException($"DevEnv cannot tell which image platform runtime identifier {Options.RuntimeIdentifier} is for (it maps linux-x64 and linux-arm64).");

    /// <summary>The platforms a build makes: DEVENV_PLATFORMS, else the engine's (kind's nodes run on it), else the options' own runtime identifier.</summary>
    public async Task<IReadOnlyList<ImagePlatform>> ResolvePlatformsAsync(CancellationToken cancellationToken)
    {
        if (Platforms.Count > 0)
        {
            return Platforms;
        }

        if (EnginePlatform is null)
        {
            return [OptionsPlatform];
        }

        var engine = await EnginePlatform(cancellationToken).ConfigureAwait(false);
        return engine.RuntimeIdentifier is null
            ? throw new ImageBuildFailedException($"The Docker Engine (and so kind's nodes) is {engine}: {PlatformImageBuilder.Unsupported(engine)}")
            : [engine];
    }

    /// <inheritdoc />
    public override async Task StartAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var result = await BuildAsync(context, cancellationToken).ConfigureAwait(false);
        if (!result.Success)
        {
            throw new ImageBuildFailedException(result.Error!);
        }
    }

    /// <summary>
    /// Builds and pushes the image if the registry does not already hold the current content tag. Safe to call
    /// from the watch loop and the rebuild command at once: builds run one at a time. Never throws for a failed
    /// build (the result says why and the resource goes Failed); cancellation throws.
    /// </summary>
    public Task<ImageBuildResult> BuildAsync(ResourceContext context, CancellationToken cancellationToken) => BuildAsync(context, Options, cancellationToken);

    /// <summary>
    /// Builds and pushes the image with <paramref name="options"/> instead of <see cref="Options"/> (the trimmed image on
    /// demand in a fast session), with that option set's own folders and layer cache. The image becomes the last good
    /// one, so the deployment rolls out to it, until the next build.
    /// </summary>
    public async Task<ImageBuildResult> BuildAsync(ResourceContext context, ImageBuildOptions options, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await BuildLockedAsync(context, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<ResourceCommand> GetCommands(ResourceContext context) =>
    [
        new(CommandNames.RebuildAndDeploy, "Rebuild", async (_, ct) =>
        {
            var result = await BuildAsync(context, ct).ConfigureAwait(false);
            return result.Success
                ? CommandResult.Ok(result.Build!.Reused ? $"Unchanged: {result.Build.ImageReference}" : $"Pushed {result.Build.ImageReference}")
                : CommandResult.Fail(result.Error!);
        }),
    ];

    private async Task<ImageBuildResult> BuildLockedAsync(ResourceContext context, ImageBuildOptions options, CancellationToken cancellationToken)
    {
        var repository = settings.ImageRepository;
        try
        {
            var mode = options.ModeName == Options.ModeName ? "" : $" ({options.ModeName.ToLowerInvariant()}, on demand)";
            context.SetState(ResourceStates.Building, $"Publishing {Path.GetFileName(ProjectFile)}{mode}");
            var platforms = await ResolvePlatformsAsync(cancellationToken).ConfigureAwait(false);
            _lastPlatforms = platforms;
            var baseImage = BaseImages is null ? BaseImage : await BaseImages.ResolveAsync(BaseImage, context.Log, cancellationToken).ConfigureAwait(false);
            // The build's steps as spans of their own, so a rebuild reads as publish then push in the Traces waterfall
            // (with several platforms, each platform's push span also covers the next platform's publish).
            var step = DevEnvTelemetry.Source.StartActivity($"publish {repository}");
            BuiltImage image;
            try
            {
                image = await BuilderFor(options).BuildAsync(baseImage, platforms, repository, context.Log, () =>
                {
                    step?.Dispose();
                    step = DevEnvTelemetry.Source.StartActivity($"push {repository}");
                    context.SetState(ResourceStates.Pushing, $"Pushing {settings.RegistryHostAddress}/{repository}");
                }, cancellationToken, BaseImage).ConfigureAwait(false);
                step?.SetTag("devenv.image.pushed_bytes", image.UploadedBytes);
            }
            finally
            {
                step?.Dispose();
            }

            var reference = $"{settings.RegistryHostAddress}/{repository}:{image.Tag}";
            if (image.Reused)
            {
                context.Log.Info($"{reference} is already in the registry (same layers and config); nothing to upload");
            }

            var build = new ImageBuild(image.Tag, reference, image.Digest, image.Reused, image.PublishTime, image.PushTime,
                image.CompressedBytes, image.UncompressedBytes, image.UploadedBytes, image.UploadedBlobs, _time.GetUtcNow());
            var isNew = LastGood?.Digest != build.Digest;
            LastGood = build;
            context.Update(s => s.WithProperties(Describe(ImmutableDictionary<string, string>.Empty, build, image.PublishedAt)
                .SetItem(ImageProperties.Platforms, image.Describe())
                .SetItem(ImageProperties.Mode, options.ModeName)).WithProperty(ImageProperties.LastError, null));
            context.SetState(ResourceStates.Running, build.Reused ? $"{reference} is current" : $"pushed {reference}");
            context.Log.Info(Summary(build));
            if (isNew)
            {
                ImageAvailable?.Invoke(this, build);
            }

            return new ImageBuildResult(build, null);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            // Superseded mid-step: whatever the step threw on its way out (a killed publish, a cut engine socket), the
            // build was cancelled, not failed, and must not show as Failed.
            throw new OperationCanceledException("The build was cancelled.", ex, cancellationToken);
        }
        catch (ImageBuildFailedException ex)
        {
            return Fail(context, ex.Message);
        }
        catch (Exception ex) when (ex is OciRegistryException or ToolNotFoundException or Clients.Docker.DockerUnavailableException)
        {
            return Fail(context, ex.Message);
        }
        catch (Docker.DotNet.DockerApiException ex)
        {
            return Fail(context, $"Docker Engine: {Clients.Docker.DockerErrorBody.DaemonMessage(ex)}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail(context, $"Cannot read the publish output of {ProjectFile}: {ex.Message}");
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A timeout inside a client (HttpClient, the Docker transport), not the caller's cancellation.
            return Fail(context, $"Building {repository} timed out ({ex.Message}); is the registry or the Docker Engine overloaded?");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever no branch above knows is a DevEnv bug, not the user's: it still ends the build as Failed with a
            // line (an exception escaping here left the resource in Publishing or Pushing, with the watcher's log only).
            context.Log.Error(ex.ToString());
            return Fail(context, $"Building {repository} failed with an unexpected {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")} "
                + "(a DevEnv bug: the stack trace is in this resource's log; please report it). Save again or run the Rebuild command to retry.");
        }
    }

    private ImageBuildResult Fail(ResourceContext context, string error)
    {
        var reason = LastGood is null ? error : $"{error}\nStill serving the last good image {LastGood.ImageReference}.";
        context.Log.Error(reason);
        context.SetProperty(ImageProperties.LastError, error);
        context.SetState(ResourceStates.Failed, reason);
        return new ImageBuildResult(null, error);
    }

    private ImmutableDictionary<string, string> Describe(ImmutableDictionary<string, string> properties, ImageBuild build, DateTimeOffset? publishedAt)
    {
        var p = properties.Remove(ImageProperties.LastError)
            .SetItem(ImageProperties.Tag, build.Tag)
            .SetItem(ImageProperties.Image, build.ImageReference)
            .SetItem(ImageProperties.Digest, build.Digest)
            .SetItem(ImageProperties.BaseImage, BaseImage)
            .SetItem(ImageProperties.Outcome, build.Reused ? "reused" : "published")
            .SetItem(ImageProperties.CompressedBytes, build.CompressedBytes.ToString(CultureInfo.InvariantCulture))
            .SetItem(ImageProperties.UncompressedBytes, build.UncompressedBytes.ToString(CultureInfo.InvariantCulture))
            .SetItem(ImageProperties.PushedBytes, build.PushedBytes.ToString(CultureInfo.InvariantCulture))
            .SetItem(ImageProperties.Size, $"{Mb(build.UncompressedBytes)} ({Mb(build.CompressedBytes)} compressed)")
            .SetItem(ImageProperties.PushedAt, build.CompletedAt.ToString("O", CultureInfo.InvariantCulture));
        if (!build.Reused)
        {
            p = p.SetItem(ImageProperties.PublishSeconds, build.PublishTime.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture))
                .SetItem(ImageProperties.PushSeconds, build.PushTime.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture))
                .SetItem(ImageProperties.PublishedAt, (publishedAt ?? build.CompletedAt).ToString("O", CultureInfo.InvariantCulture));
        }

        return p;
    }

    /// <summary>One line for the console: reference, sizes, timings, bytes pushed.</summary>
    public static string Summary(ImageBuild b) => b.Reused
        ? $"{b.ImageReference}: unchanged, already in the registry ({Mb(b.UncompressedBytes)}, {Mb(b.CompressedBytes)} compressed); pushed nothing"
        : $"{b.ImageReference}: {Mb(b.UncompressedBytes)} ({Mb(b.CompressedBytes)} compressed); publish {b.PublishTime.TotalSeconds:0.0} s, "
          + $"image+push {b.PushTime.TotalSeconds:0.0} s; pushed {Mb(b.PushedBytes)} in {b.PushedLayers} blob(s)";

    private static string Mb(long bytes) => (bytes / 1_000_000.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
}
