using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Resources.Cluster;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Resources.Registry;
using DevEnv.Hosting.Resources.RemoteCluster;
using DevEnv.Hosting.Resources.Telemetry;

namespace DevEnv.Hosting.AppModel;

/// <summary>
/// Turns the finished app model into what runs in the cluster, once, before anything starts: every project and container
/// that runs in the cluster (<see cref="ClusterPlacement"/>) gets its deployment (and a project its image) as child
/// resources, with its Service's address known to every other workload, and what it <c>WaitFor</c>s becomes a wait
/// for the other's deployment being ready in the cluster. Runs on Aspire's BeforeStartEvent (<c>up</c>, or any
/// AppHost's <c>Run()</c>) and before a verb reads the model, whichever comes first.
/// </summary>
public static class ClusterWorkloads
{
    /// <summary>Expands the model of <paramref name="builder"/>; a second call does nothing.</summary>
    public static void Expand(IDistributedApplicationBuilder builder, Func<IServiceProvider?> services)
    {
        var catalog = builder.DevEnvCatalog();
        lock (catalog)
        {
            if (catalog.Expanded)
            {
                return;
            }

            catalog.Expanded = true;
            foreach (var environment in builder.Resources.OfType<IComputeEnvironmentResource>().Where(r => r is KindClusterResource or RemoteClusterResource).ToArray())
            {
                ExpandInto(builder, environment, services);
            }
        }
    }

    private static void ExpandInto(IDistributedApplicationBuilder builder, IComputeEnvironmentResource environment, Func<IServiceProvider?> services)
    {
        var settings = builder.DevEnv().Settings;
        var workloads = ClusterPlacement.Workloads(builder.Resources, environment);
        foreach (var project in workloads.OfType<ProjectResource>())
        {
            // Aspire's publish mode gives a web project that declares no endpoint an http one; so does the cluster, so
            // that WithReference to it gives its clients services__<name>__http__0.
            if (!project.Annotations.OfType<EndpointAnnotation>().Any(e => e.UriScheme == "http")
                && ProjectFacts.Read(ProjectPaths.SourcePath(project, settings.SourceRoot)).IsWeb)
            {
                project.Annotations.Add(new EndpointAnnotation(ProtocolType.Tcp, uriScheme: "http", name: ClusterEndpoints.DefaultEndpointName));
            }
        }

        var kind = environment as KindClusterResource;
        var addresses = new ClusterAddressBook(workloads, kind is null ? [] : settings.HostNodePorts);
        var cluster = builder.CreateResourceBuilder<IResource>(environment);
        var registry = builder.Resources.FirstOrDefault(r => r.Maintenance() is not null) is { } found ? builder.CreateResourceBuilder(found) : null;
        var telemetry = Resources.Telemetry.Receiver.ReceiverBuilderExtensions.PodTelemetrySource(builder, environment);
        var target = new WorkloadResources.Target(cluster, registry, telemetry, addresses, services);
        var deployments = new Dictionary<IResource, KubernetesDeploymentResource>();
        foreach (var workload in workloads)
        {
            deployments[workload] = WorkloadResources.Add(builder, workload, target);
        }

        // WaitFor holds in the cluster: a workload rolls out once what it waits for is ready there. A resource that runs
        // locally and waits for one in the cluster waits for that deployment instead (the local copy never starts).
        foreach (var resource in builder.Resources.ToArray())
        {
            foreach (var wait in resource.Annotations.OfType<WaitAnnotation>().ToArray())
            {
                var on = deployments.TryGetValue(wait.Resource, out var other) ? other : wait.Resource;
                if (deployments.TryGetValue(resource, out var own))
                {
                    own.Annotations.Add(new WaitAnnotation(on, wait.WaitType));
                }
                else if (on != wait.Resource)
                {
                    resource.Annotations.Remove(wait);
                    resource.Annotations.Add(new WaitAnnotation(on, wait.WaitType));
                }
            }
        }
    }
}
