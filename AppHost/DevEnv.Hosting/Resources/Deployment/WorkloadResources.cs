using DevEnv.Hosting.Clients.Kubernetes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.AppModel;
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Image;
using DevEnv.Hosting.Resources.Telemetry;

namespace DevEnv.Hosting.Resources.Deployment;

/// <summary>
/// Adds the resources that run one app-model resource in the cluster, shown under it in the dashboard: for a project its
/// image (<c>&lt;name&gt;-image</c>: published, pushed, tagged by content) and its deployment (<c>&lt;name&gt;-deployment</c>);
/// for a container its deployment only, running the container's own image. The resource itself is no longer started
/// as a local process or container (it can still be started from the dashboard).
/// </summary>
internal static class WorkloadResources
{
    /// <summary>What the workloads of one cluster share.</summary>
    /// <param name="Cluster">The cluster resource (kind or remote): every deployment waits for it.</param>
    /// <param name="Registry">The local registry, which images wait for; null on a remote target.</param>
    /// <param name="Telemetry">The relay the pods send telemetry through; null where there is none.</param>
    /// <param name="Addresses">Every workload's Service.</param>
    /// <param name="Services">The application's services, once it has them.</param>
    public sealed record Target(IResourceBuilder<IResource> Cluster, IResourceBuilder<IResource>? Registry, IPodTelemetrySource? Telemetry, ClusterAddressBook Addresses, Func<IServiceProvider?> Services);

    /// <summary>Adds the deployment (and for a project the image) of <paramref name="source"/>; returns the deployment.</summary>
    public static KubernetesDeploymentResource Add(IDistributedApplicationBuilder builder, IResource source, Target target)
    {
        var devenv = builder.DevEnv();
        var name = source.Name;
        var options = source.Annotations.OfType<ClusterWorkloadAnnotation>().LastOrDefault();
        var planner = new WorkloadPlanner(source, target.Addresses, source is ProjectResource project ? ProjectFacts.Read(ProjectPaths.SourcePath(project, devenv.Settings.SourceRoot)) : null, target.Services);
        var settings = devenv.Settings with
        {
            // A remote registry keeps our repositories under its path (team/devenv/sampleapi).
            ImageRepository = devenv.Settings.RemoteRegistry?.Repository(name) ?? name,
            // Projects scale as the environment says; a container (a cache, a database) is one instance unless asked.
            Replicas = options?.Replicas ?? (source is ProjectResource ? devenv.Settings.Replicas : 1),
        };

        var deployment = source switch
        {
            ProjectResource projectResource => AddProject(builder, projectResource, settings, planner, target),
            ContainerResource container => AddContainer(builder, container, settings, planner, target),
            _ => throw new ArgumentException($"{name} is neither a project nor a container.", nameof(source)),
        };

        // Deployed to the cluster, so not also run on this machine unless started from the dashboard.
        if (!source.Annotations.OfType<ExplicitStartupAnnotation>().Any())
        {
            source.Annotations.Add(new ExplicitStartupAnnotation());
        }

        return deployment;
    }

    private static KubernetesDeploymentResource AddProject(IDistributedApplicationBuilder builder, ProjectResource project, EnvironmentSettings settings, WorkloadPlanner planner, Target target)
    {
        var devenv = builder.DevEnv();
        var name = project.Name;
        var projectFile = ProjectPaths.SourcePath(project, devenv.Settings.SourceRoot);
        var imageReconciler = new ProjectImageResource($"{name}-image", settings, devenv.ProcessRunner, devenv.Registry)
        {
            ProjectFile = projectFile,
            BaseImages = devenv.BaseImages,
            Options = ImageBuildOptions.For(settings.ImageMode),
            // kind's nodes run on the engine's platform; a shared cluster's nodes have nothing to do with this machine's
            // engine, so there the image stays linux/amd64 (the options' default) unless DEVENV_PLATFORMS says otherwise.
            EnginePlatform = settings.IsRemote ? null : async ct =>
            {
                var version = await devenv.Docker.System.GetVersionAsync(ct).ConfigureAwait(false);
                return ImagePlatform.OfEngine(version.Os, version.Arch);
            },
        };
        var image = new ContainerImageResource($"{name}-image", imageReconciler);
        var deployment = new KubernetesDeploymentResource($"{name}-deployment", Reconciler(name, settings, devenv, planner, target,
            // A remote cluster runs the image by digest; kind by its content tag (the same image either way).
            () => imageReconciler.LastGood is { } built && settings.IsRemote ? $"{settings.RegistryHostAddress}/{settings.ImageRepository}@{built.Digest}" : imageReconciler.LastGood?.ImageReference,
            () => imageReconciler.LastGood?.Tag ?? PlannedTag(imageReconciler),
            () => PlannedTag(imageReconciler) is { } tag ? $"{settings.RegistryHostAddress}/{settings.ImageRepository}:{tag}" : null));
        var pipeline = new ProjectPipeline(image, deployment) { SourceDirectories = ProjectFacts.Read(projectFile).SourceDirectories };
        builder.DevEnvCatalog().Add(pipeline);

        var imageResource = builder.AddResource(image);
        if (target.Registry is { } registry)
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
            .ExcludeFromManifest()
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

        AddDeployment(builder, project, deployment, settings, target).WaitFor(builder.CreateResourceBuilder(image));
        return deployment;
    }

    private static KubernetesDeploymentResource AddContainer(IDistributedApplicationBuilder builder, ContainerResource container, EnvironmentSettings settings, WorkloadPlanner planner, Target target)
    {
        var devenv = builder.DevEnv();
        if (container.Annotations.OfType<DockerfileBuildAnnotation>().Any())
        {
            throw new UnsupportedValueException($"{container.Name} is built from a Dockerfile, which DevEnv does not build yet: add .RunLocally() to run it on this machine.");
        }

        var image = container.TryGetContainerImageName(out var reference) ? reference
            : throw new UnsupportedValueException($"{container.Name} has no container image: give it one with WithImage(...), or add .RunLocally().");
        var deployment = new KubernetesDeploymentResource($"{container.Name}-deployment",
            Reconciler(container.Name, settings, devenv, planner, target, () => image, () => ContainerRevision(image), () => image, devenv.ContainerImages.ResolveAsync));
        AddDeployment(builder, container, deployment, settings, target);
        return deployment;
    }

    private static DeploymentResource Reconciler(string name, EnvironmentSettings settings, DevEnvServices devenv, WorkloadPlanner planner, Target target, Func<string?> image, Func<string?> revision, Func<string?> planned,
        Func<string, ResourceLog, CancellationToken, Task<string>>? prepareImage = null) =>
        new($"{name}-deployment", settings, devenv.Kubernetes, image, revision)
        {
            PlannedImage = planned,
            PrepareImage = prepareImage,
            WorkloadName = name.ToLowerInvariant(),
            NodePort = planner.Ports.FirstOrDefault(p => p.NodePort is not null)?.NodePort,
            Ports = planner.Ports,
            Monitor = true,
            TelemetryRelay = target.Telemetry,
            Complete = planner.CompleteAsync,
            Notes = () => planner.Notes,
            // A shared cluster's node ports are not on this host: each endpoint's URL is a port-forward through the API server.
            PortForwards = settings.IsRemote ? devenv.Kubernetes as IPortForwardApi : null,
        };

    private static IResourceBuilder<KubernetesDeploymentResource> AddDeployment(IDistributedApplicationBuilder builder, IResource source, KubernetesDeploymentResource deployment, EnvironmentSettings settings, Target target)
    {
        var devenv = builder.DevEnv();
        var work = deployment.Deployment;
        return builder.AddResource(deployment)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "KubernetesDeployment",
                State = KnownResourceStates.NotStarted,
                Properties = [new("namespace", settings.WorkloadNamespace), new("replicas", settings.Replicas), new("context", settings.KubeContext), .. RemoteAddress(settings, work)],
                Urls = [.. work.Urls.Select(u => new UrlSnapshot(u.Endpoint, u.Url, IsInternal: false))],
            })
            .WithParentRelationship(builder.CreateResourceBuilder(source))
            .WaitFor(target.Cluster)
            .ExcludeFromManifest()
            .WithReconciler(
            [
                new CommandSpec(CommandNames.RestartRollout, "Restart rollout", "kubectl rollout restart: new pods replace the old ones one at a time", "ArrowRepeatAll"),
                new CommandSpec(CommandNames.Scale, "Scale", "Set the number of replicas", "ArrowAutofitHeight",
                    Arguments: [new InteractionInput { Name = "replicas", Label = "Replicas", InputType = InputType.Number, Required = true, Value = settings.Replicas.ToString(System.Globalization.CultureInfo.InvariantCulture) }]),
                new CommandSpec(CommandNames.VerifyRollout, "Verify rollout", "Restart the rollout under constant load and count what clients see", "CheckmarkStarburst",
                    Execute: (arguments, ct) => RolloutVerificationCommand.RunAsync(deployment, arguments, ct)),
            ],
                autoStart: () => devenv.Options.Verb != "build");
    }

    // On a shared cluster there is no localhost NodePort: the dashboard shows the Service's address in the cluster and
    // the port-forward that reaches it from here.
    private static ResourcePropertySnapshot[] RemoteAddress(EnvironmentSettings settings, DeploymentResource work) =>
        settings.IsRemote && work.Ports?.FirstOrDefault() is { } port
        ?
        [
            new("service", $"{port.Scheme}://{work.WorkloadName}.{settings.WorkloadNamespace}.svc.cluster.local:{port.Port} ({settings.WorkloadServiceType})"),
            new("portForward", $"kubectl --context {settings.KubeContext} -n {settings.WorkloadNamespace} port-forward svc/{work.WorkloadName} 8080:{port.Port}"),
        ]
        : [];

    // A container's image reference names what runs; its revision annotation is that reference's tag or digest.
    private static string ContainerRevision(string image) => Clients.Docker.ImageReference.Split(image).Reference;

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
