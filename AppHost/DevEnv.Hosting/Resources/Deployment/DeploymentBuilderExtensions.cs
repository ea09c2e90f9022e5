using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Cluster;
using DevEnv.Hosting.Resources.Image;
using DevEnv.Hosting.Resources.RemoteCluster;
using DevEnv.Hosting.Resources.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace DevEnv.Hosting.Resources.Deployment;

/// <summary>Deploys an AppHost project to the kind cluster: its image, its Deployment and Service.</summary>
public static class DeploymentBuilderExtensions
{
    /// <summary>
    /// Deploys <paramref name="project"/> to <paramref name="cluster"/>: adds its image (<c>&lt;name&gt;-image</c>,
    /// published self-contained and trimmed, pushed to <paramref name="registry"/> under a content tag) and its
    /// deployment (<c>&lt;name&gt;-deployment</c>: a Deployment and a Service, NodePort <paramref name="nodePort"/> on
    /// localhost, or ClusterIP when null), both shown under the project. The project itself no longer starts as a
    /// local process (it can still be started from the dashboard).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithKindDeployment(
        this IResourceBuilder<ProjectResource> project,
        IResourceBuilder<KindClusterResource> cluster,
        IResourceBuilder<ContainerResource> registry,
        int? nodePort = null,
        int? replicas = null) =>
        project.WithDeployment(cluster, registry, nodePort, replicas, cluster.GetOrAddPodTelemetry().Resource.Relay);

    /// <summary>
    /// Deploys <paramref name="project"/> to an existing cluster through the remote registry (DEVENV_REGISTRY,
    /// DEVENV_KUBE_CONTEXT): the same image pipeline and Deployment, pushed to that registry and run by digest in
    /// DEVENV_NAMESPACE with the pull Secret, behind a DEVENV_SERVICE_TYPE Service (ClusterIP unless asked).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithRemoteDeployment(this IResourceBuilder<ProjectResource> project, IResourceBuilder<RemoteClusterResource> cluster, int? replicas = null) =>
        // No fixed node port on a shared cluster: DEVENV_SERVICE_TYPE=NodePort lets the cluster pick one. No telemetry
        // relay either: a shared cluster cannot reach the dashboard on this machine's loopback.
        project.WithDeployment(cluster, registry: null, nodePort: null, replicas, telemetry: null);

    private static IResourceBuilder<ProjectResource> WithDeployment(
        this IResourceBuilder<ProjectResource> project,
        IResourceBuilder<IResource> cluster,
        IResourceBuilder<IResource>? registry,
        int? nodePort,
        int? replicas,
        PodTelemetryRelay? telemetry)
    {
        var builder = project.ApplicationBuilder;
        var devenv = builder.DevEnv();
        var name = project.Resource.Name;
        var projectFile = SourcePath(project.Resource.GetProjectMetadata().ProjectPath, devenv.Settings.SourceRoot);
        var settings = devenv.Settings with
        {
            // A remote registry keeps our repositories under its path (team/devenv/sampleapi).
            ImageRepository = devenv.Settings.RemoteRegistry?.Repository(name) ?? name,
            NodePort = nodePort ?? devenv.Settings.NodePort,
            Replicas = replicas ?? devenv.Settings.Replicas,
        };

        var imageReconciler = new ProjectImageResource($"{name}-image", settings, devenv.ProcessRunner, devenv.Registry)
        {
            ProjectFile = projectFile,
            BaseImages = new BaseImageResolver(devenv.Docker, settings, devenv.Registry),
            Options = ImageBuildOptions.For(settings.ImageMode),
            // kind's nodes run on the engine's platform; a shared cluster's nodes have nothing to do with this machine's
            // engine, so there the image stays linux/amd64 (the options' default) unless DEVENV_PLATFORMS says otherwise.
            EnginePlatform = settings.IsRemote ? null : async ct =>
            {
                var version = await devenv.Docker.System.GetVersionAsync(ct).ConfigureAwait(false);
                return Configuration.ImagePlatform.OfEngine(version.Os, version.Arch);
            },
        };
        var image = new ContainerImageResource($"{name}-image", imageReconciler);
        var deployment = new KubernetesDeploymentResource($"{name}-deployment", new DeploymentResource(
            $"{name}-deployment",
            settings,
            devenv.Kubernetes,
            // A remote cluster runs the image by digest; kind by its content tag (the same image either way).
            () => imageReconciler.LastGood is { } built && settings.IsRemote ? $"{settings.RegistryHostAddress}/{settings.ImageRepository}@{built.Digest}" : imageReconciler.LastGood?.ImageReference,
            () => imageReconciler.LastGood?.Tag ?? PlannedTag(imageReconciler))
        {
            PlannedImage = () => PlannedTag(imageReconciler) is { } tag ? $"{settings.RegistryHostAddress}/{settings.ImageRepository}:{tag}" : null,
            WorkloadName = name,
            NodePort = nodePort,
            Monitor = true,
            TelemetryRelay = telemetry,
        });
        var pipeline = new ProjectPipeline(image, deployment);
        builder.Services.AddSingleton(pipeline);

        var imageResource = builder.AddResource(image);
        if (registry is not null)
        {
            imageResource.WaitFor(registry);
        }

        imageResource
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "ContainerImage",
                State = KnownResourceStates.NotStarted,
                Properties = [new("project", projectFile), new(ImageProperties.BaseImage, imageReconciler.BaseImage), new(ImageProperties.Mode, imageReconciler.Options.ModeName)],
            })
            .WithParentRelationship(project)
            .WithReconciler(
                [
                    new CommandSpec(CommandNames.RebuildAndDeploy, "Rebuild & deploy", "Publish the image from the current sources and roll it out", "ArrowSync",
                        Highlighted: true, Execute: (_, ct) => pipeline.RebuildAndDeployAsync(ct, ct)),
                    // Fast mode is the quick inner loop (no IL trimmer); the shipping image is one command away, with its
                    // own warm folders. The next save goes back to the fast image.
                    .. settings.ImageMode == ImageMode.Fast
                        ? [new CommandSpec(CommandNames.RebuildTrimmedAndDeploy, "Rebuild trimmed & deploy",
                            "Publish the trimmed shipping image from the current sources and roll it out; the next save builds the fast image again",
                            "ArrowMinimize", Execute: (_, ct) => pipeline.RebuildAndDeployAsync(ct, ct, ImageBuildOptions.Default))]
                        : Array.Empty<CommandSpec>(),
                ],
                start: async (context, ct) =>
                {
                    using var span = DevEnvTelemetry.Source.StartActivity($"build {name}-image");
                    var result = await imageReconciler.BuildAsync(context, ct).ConfigureAwait(false);
                    DevEnvTelemetry.RecordBuild($"{name}-image", result);
                    if (!result.Success)
                    {
                        throw new ImageBuildFailedException(result.Error!);
                    }
                });

        builder.AddResource(deployment)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "KubernetesDeployment",
                State = KnownResourceStates.NotStarted,
                Properties = [new("namespace", settings.WorkloadNamespace), new("replicas", settings.Replicas), new("context", settings.KubeContext), .. RemoteAddress(settings, name)],
                Urls = nodePort is null ? [] : [new UrlSnapshot("http", $"http://localhost:{settings.NodePort}", IsInternal: false)],
            })
            .WithParentRelationship(project)
            .WaitFor(cluster)
            .WaitFor(builder.CreateResourceBuilder(image))
            .WithReconciler(
            [
                new CommandSpec(CommandNames.RestartRollout, "Restart rollout", "kubectl rollout restart: new pods replace the old ones one at a time", "ArrowRepeatAll"),
                new CommandSpec(CommandNames.Scale, "Scale", "Set the number of replicas", "ArrowAutofitHeight",
                    Arguments: [new InteractionInput { Name = "replicas", Label = "Replicas", InputType = InputType.Number, Required = true, Value = settings.Replicas.ToString(System.Globalization.CultureInfo.InvariantCulture) }]),
                new CommandSpec(CommandNames.VerifyRollout, "Verify rollout", "Restart the rollout under constant load and count what clients see", "CheckmarkStarburst",
                    Execute: (arguments, ct) => RolloutVerificationCommand.RunAsync(deployment, arguments, ct)),
            ],
                autoStart: () => devenv.Options.Verb != "build");

        // Deployed to the cluster, so not also run as a local process unless started from the dashboard.
        return project.WithExplicitStart();
    }

    // On a shared cluster there is no localhost NodePort: the dashboard shows the Service's address in the cluster and
    // the port-forward that reaches it from here.
    private static ResourcePropertySnapshot[] RemoteAddress(Configuration.EnvironmentSettings settings, string name) => settings.IsRemote
        ?
        [
            new("service", $"http://{name}.{settings.WorkloadNamespace}.svc.cluster.local:80 ({settings.WorkloadServiceType})"),
            new("portForward", $"kubectl --context {settings.KubeContext} -n {settings.WorkloadNamespace} port-forward svc/{name} 8080:80"),
        ]
        : [];

    // The project as found under DEVENV_SOURCE_ROOT (a copy of the sources, as the tests use), else where it was built from.
    private static string SourcePath(string builtFrom, string sourceRoot)
    {
        for (var dir = Path.GetDirectoryName(builtFrom); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "DevEnv.sln")))
            {
                var moved = Path.Combine(sourceRoot, Path.GetRelativePath(dir, builtFrom));
                return File.Exists(moved) ? moved : builtFrom;
            }
        }

        return builtFrom;
    }

    // The content tag the image resource would build now; null for unreadable sources.
    private static string? PlannedTag(ProjectImageResource image)
    {
        try
        {
            return image.ComputeTag();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }
}
