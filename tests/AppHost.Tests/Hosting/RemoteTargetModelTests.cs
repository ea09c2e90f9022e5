using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Resources.Cluster;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Resources.RemoteCluster;
using Microsoft.Extensions.DependencyInjection;

namespace DevEnv.AppHost.Tests.Hosting;

/// <summary>The application model Program.cs's remote branch builds: no registry container, no kind, the Service's address for the dashboard.</summary>
public sealed class RemoteTargetModelTests
{
    [Fact]
    public void A_remote_target_has_no_registry_container_or_kind_and_shows_the_services_address_and_port_forward()
    {
        var builder = DevEnvApplication.CreateBuilder(["manifests", "--DEVENV_NAME=demo", "--DEVENV_REGISTRY=registry.example.com/team/devenv", "--DEVENV_KUBE_CONTEXT=shared-dev"]);
        var cluster = builder.AddRemoteCluster("cluster");
        builder.AddProject<Projects.SampleApi>("sampleapi").WithRemoteDeployment(cluster);
        using var app = builder.Build();
        DevEnvApplication.ExpandModel(app); // what BeforeStartEvent does under DCP

        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        Assert.Empty(model.Resources.OfType<ContainerResource>());
        Assert.Empty(model.Resources.OfType<KindClusterResource>());
        var deployment = Assert.Single(model.Resources.OfType<KubernetesDeploymentResource>());
        var properties = deployment.Annotations.OfType<ResourceSnapshotAnnotation>().Single().InitialSnapshot.Properties.ToDictionary(p => p.Name, p => p.Value?.ToString());
        Assert.Equal("devenv-demo", properties["namespace"]);
        Assert.Equal("shared-dev", properties["context"]);
        Assert.Equal("http://sampleapi.devenv-demo.svc.cluster.local:8080 (ClusterIP)", properties["service"]);
        Assert.Equal("kubectl --context shared-dev -n devenv-demo port-forward svc/sampleapi 8080:8080", properties["portForward"]);
        Assert.Equal("team/devenv/sampleapi", deployment.Reconciler is DeploymentResource d ? d.Settings.ImageRepository : null);
    }
}
