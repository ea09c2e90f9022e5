using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Cluster;
using DevEnv.Hosting.Resources.Image;
using DevEnv.Hosting.Resources.Image.Pipeline;

namespace DevEnv.Hosting.Resources.Telemetry.Receiver;

/// <summary>Adds the in-cluster telemetry receiver to a cluster (kind or a remote target) and chooses the pods' telemetry path.</summary>
public static class ReceiverBuilderExtensions
{
    /// <summary>
    /// Where the deployments of <paramref name="environment"/> send telemetry: for kind the gateway relay or the
    /// receiver, whichever <see cref="TelemetryPath"/> and the engine choose at start; for a remote target the receiver.
    /// </summary>
    public static IPodTelemetrySource PodTelemetrySource(IDistributedApplicationBuilder builder, IResource environment)
    {
        var path = TelemetryPaths.Parse(builder.Configuration[TelemetryPaths.Variable]);
        var cluster = builder.CreateResourceBuilder(environment);
        if (environment is not KindClusterResource kind)
        {
            return GetOrAddReceiver(cluster, notPrintedBecause: null, _ => Task.FromResult<string?>(null)).Resource.Receiver;
        }

        var devenv = builder.DevEnv();
        var relay = builder.CreateResourceBuilder(kind).GetOrAddPodTelemetry(path == TelemetryPath.Receiver
            ? _ => Task.FromResult<string?>($"{TelemetryPaths.Variable}=receiver: the in-cluster receiver carries the pods' telemetry")
            : null).Resource.Relay;
        var review = path switch
        {
            TelemetryPath.Receiver => null,
            TelemetryPath.Relay => $"{TelemetryPaths.Variable}=relay: the gateway relay carries the pods' telemetry, so the in-cluster receiver's objects are not printed",
            _ => $"the in-cluster receiver's objects are not printed: under {TelemetryPaths.Variable}=auto up chooses by engine (the receiver under a VM engine, the gateway relay with a native dockerd); {TelemetryPaths.Variable}=receiver prints them",
        };
        var receiver = GetOrAddReceiver(cluster, review, async ct =>
        {
            var engine = await devenv.IdentifyEngine(ct).ConfigureAwait(false);
            return TelemetryPaths.UsesReceiver(path, engine) ? null
                : path == TelemetryPath.Relay ? $"{TelemetryPaths.Variable}=relay: the gateway relay carries the pods' telemetry"
                : $"{engine?.DisplayName ?? "the Docker Engine"} shares its networks with this host: the gateway relay carries the pods' telemetry (one TCP hop, no receiver image to build); {TelemetryPaths.Variable}=receiver uses this receiver instead";
        }).Resource.Receiver;
        return new PodTelemetryChoice(relay, receiver);
    }

    /// <summary>
    /// The receiver (<c>&lt;cluster&gt;-telemetry-receiver</c>, shown under the cluster), added on first use;
    /// <paramref name="notPrintedBecause"/> says why <c>manifests</c> leaves its objects out (null: it prints them).
    /// </summary>
    public static IResourceBuilder<InClusterReceiverResource> GetOrAddReceiver(IResourceBuilder<IResource> cluster, string? notPrintedBecause, Func<CancellationToken, Task<string?>> whyNot)
    {
        var builder = cluster.ApplicationBuilder;
        var name = cluster.Resource.Name + "-telemetry-receiver";
        if (builder.Resources.OfType<InClusterReceiverResource>().FirstOrDefault(r => r.Name == name) is { } existing)
        {
            return builder.CreateResourceBuilder(existing);
        }

        var devenv = builder.DevEnv();
        var settings = devenv.Settings;
        var receiver = new InClusterReceiver(name, settings, DashboardOtlpTarget.From(builder.Configuration), devenv.Kubernetes,
            devenv.Kubernetes as IPortForwardApi, whyNot, (log, ct) => BuildImageAsync(devenv, log, ct)) { NotPrintedBecause = notPrintedBecause };
        return builder.AddResource(new InClusterReceiverResource(name, receiver))
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "TelemetryReceiver",
                State = KnownResourceStates.NotStarted,
                Properties = [new("namespace", settings.WorkloadNamespace), new("service", ReceiverManifests.PodSettings(settings).Endpoint)],
            })
            .WithParentRelationship(cluster)
            .WaitFor(cluster)
            .ExcludeFromManifest()
            .WithReconciler([], autoStart: () => devenv.Options.Verb != "build");
    }

    /// <summary>The receiver project, built from the sources like the apps (DevEnv.Hosting ships as source with the repository).</summary>
    public static string ProjectFile(EnvironmentSettings settings) =>
        Path.Combine(settings.SourceRoot, "AppHost", "DevEnv.TelemetryReceiver", "DevEnv.TelemetryReceiver.csproj");

    // The product's own daemonless pipeline: self-contained trimmed publish, layers, content tag, pushed to the environment's registry.
    private static async Task<string> BuildImageAsync(DevEnvServices devenv, ResourceLog log, CancellationToken cancellationToken)
    {
        var settings = devenv.Settings;
        var project = ProjectFile(settings);
        if (!File.Exists(project))
        {
            throw new ImageBuildFailedException($"the receiver's project {project} is missing: DEVENV_SOURCE_ROOT must name a DevEnv checkout");
        }

        IReadOnlyList<ImagePlatform> platforms = settings.Platforms.Count > 0 ? settings.Platforms
            : settings.IsRemote ? [ImagePlatform.LinuxAmd64]
            : [await EnginePlatformAsync(devenv, cancellationToken).ConfigureAwait(false)];
        var repository = ReceiverManifests.ImageRepositoryOf(settings);
        var baseImage = await devenv.BaseImages.ResolveAsync(settings.BaseImage, log, cancellationToken).ConfigureAwait(false);
        var built = await new PlatformImageBuilder(devenv.ProcessRunner, devenv.Registry, project, ImageBuildOptions.Default)
            .BuildAsync(baseImage, platforms, repository, log, () => { }, cancellationToken, settings.BaseImage).ConfigureAwait(false);
        // A remote cluster runs the image by digest; kind by its content tag (as the apps).
        return settings.IsRemote ? $"{settings.RegistryHostAddress}/{repository}@{built.Digest}" : $"{settings.RegistryHostAddress}/{repository}:{built.Tag}";
    }

    private static async Task<ImagePlatform> EnginePlatformAsync(DevEnvServices devenv, CancellationToken cancellationToken)
    {
        var version = await devenv.Docker.System.GetVersionAsync(cancellationToken).ConfigureAwait(false);
        var platform = ImagePlatform.OfEngine(version.Os, version.Arch);
        return platform.RuntimeIdentifier is null ? throw new ImageBuildFailedException(PlatformImageBuilder.Unsupported(platform)) : platform;
    }
}
