using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DevEnv.Hosting.Resources.Registry;

/// <summary>Adds the local registry: a persistent Aspire container resource.</summary>
public static class RegistryResourceExtensions
{
    /// <summary>The registry's port inside the container.</summary>
    public const int ContainerPort = 5000;

    /// <summary>The endpoint name of the registry's HTTP API.</summary>
    public const string EndpointName = "http";

    // registry:3 reads /etc/distribution/config.yml, 2.x reads /etc/docker/registry/config.yml: both get ours.
    private static readonly string[] ConfigPaths = ["/etc/distribution/config.yml", "/etc/docker/registry/config.yml"];

    /// <summary>
    /// Adds the registry container <c>&lt;name&gt;-registry</c>: persistent across AppHost runs (Ctrl+C leaves it
    /// running), published on 127.0.0.1:<c>DEVENV_REGISTRY_PORT</c> only, blobs in a labelled named volume, healthy when
    /// <c>GET /v2/</c> answers, hardened (read-only root, no capabilities). The cluster joins it to the kind network
    /// once kind has made that network (kind's own recipe order).
    /// </summary>
    public static IResourceBuilder<ContainerResource> AddLocalRegistry(this IDistributedApplicationBuilder builder, string name = "registry")
    {
        var devenv = builder.DevEnv();
        var settings = devenv.Settings;
        var (image, tag) = SplitImage(settings.RegistryImage);
        var configFile = RegistryConfig.Write(settings);
        var maintenance = new RegistryResource(name, settings, devenv.Docker);
        var registry = builder.AddContainer(name, image, tag)
            .WithContainerName(settings.RegistryContainerName)
            .WithLifetime(ContainerLifetime.Persistent)
            .WithHttpEndpoint(port: settings.RegistryPort, targetPort: ContainerPort, name: EndpointName, isProxied: false)
            .WithVolume(settings.RegistryVolumeName, "/var/lib/registry")
            .WithHttpHealthCheck("/v2/", endpointName: EndpointName)
            .WithContainerRuntimeArgs(
                "--label", $"{EnvironmentSettings.EnvironmentLabel}={settings.Name}",
                "--label", "dev.devenv.role=registry",
                "--read-only", "--tmpfs", "/tmp:rw,noexec,nosuid,size=64m",
                "--cap-drop", "ALL", "--security-opt", "no-new-privileges")
            .WithUrlForEndpoint(EndpointName, url => url.DisplayText = "registry API")
            // DevEnv's own: it serves the cluster and is never deployed into it.
            .WithAnnotation(new AppModel.DevEnvOwnedAnnotation())
            .ExcludeFromManifest();
        foreach (var path in ConfigPaths)
        {
            registry.WithBindMount(configFile, path, isReadOnly: true);
        }

        // The volume is ours before DCP first mounts it: created with our label, so down --purge may remove it. DCP
        // creates a container's named volumes (unlabelled) before the container's BeforeResourceStartedEvent, so this
        // runs on BeforeStartEvent, before DCP is given any resource.
        builder.Eventing.Subscribe<BeforeStartEvent>(async (e, ct) =>
        {
            try
            {
                await maintenance.StartAsync(new ResourceContext(registry.Resource, e.Services.GetNotifications(), NullLogger.Instance), ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is Clients.Docker.DockerUnavailableException or Docker.DotNet.DockerApiException)
            {
                // The registry container then fails under DCP with the engine's own words; the AppHost still starts.
                e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DevEnv").LogWarning("Could not create the volume {Volume}: {Error}", settings.RegistryVolumeName, ex.Message);
            }
        });
        registry.WithAnnotation(new RegistryMaintenanceAnnotation(maintenance));
        builder.Services.AddHostedService(services => new RegistryStartMonitor(services.GetRequiredService<ResourceNotificationService>(),
            services.GetRequiredService<ILoggerFactory>(), settings.RegistryImage,
            async ct => await Clients.Docker.DockerLookups.TryInspectImageAsync(devenv.Docker.Images, settings.RegistryImage, ct).ConfigureAwait(false) is not null));
        return registry;
    }

    /// <summary>The registry's status and teardown, for the CLI verbs.</summary>
    public static RegistryResource? Maintenance(this IResource resource) =>
        resource.Annotations.OfType<RegistryMaintenanceAnnotation>().FirstOrDefault()?.Registry;

    private static (string Image, string Tag) SplitImage(string reference)
    {
        var slash = reference.LastIndexOf('/');
        var colon = reference.LastIndexOf(':');
        return colon > slash ? (reference[..colon], reference[(colon + 1)..]) : (reference, "latest");
    }

    private static ResourceNotificationService GetNotifications(this IServiceProvider services) =>
        (ResourceNotificationService)services.GetService(typeof(ResourceNotificationService))!;
}
