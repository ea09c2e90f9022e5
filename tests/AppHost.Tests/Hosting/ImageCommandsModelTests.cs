using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Cluster;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Resources.Image;
using DevEnv.Hosting.Resources.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace DevEnv.AppHost.Tests.Hosting;

/// <summary>
/// The image's commands in the model Program.cs builds: every session can rebuild; a fast session (DEVENV_IMAGE_MODE=fast,
/// the quickest inner loop) also offers the trimmed shipping image on demand, and a trimmed session does not need it.
/// </summary>
public sealed class ImageCommandsModelTests
{
    [Theory]
    [InlineData("fast", new[] { CommandNames.RebuildAndDeploy, CommandNames.RebuildTrimmedAndDeploy }, "Fast")]
    [InlineData("trimmed", new[] { CommandNames.RebuildAndDeploy }, "Trimmed")]
    public void The_image_offers_a_trimmed_rebuild_only_in_fast_mode(string mode, string[] expected, string shownMode)
    {
        var builder = DevEnvApplication.CreateBuilder(["manifests", "--DEVENV_NAME=demo", $"--DEVENV_IMAGE_MODE={mode}"]);
        var registry = builder.AddLocalRegistry("registry");
        var cluster = builder.AddKindCluster("cluster").WithRegistry(registry);
        builder.AddProject<Projects.SampleApi>("sampleapi").WithKindDeployment(cluster, registry, nodePort: 31000);
        using var app = builder.Build();
        DevEnvApplication.ExpandModel(app); // what BeforeStartEvent does under DCP

        var image = Assert.Single(app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ContainerImageResource>());
        var properties = image.Annotations.OfType<ResourceSnapshotAnnotation>().Single().InitialSnapshot.Properties;
        Assert.Equal(shownMode, properties.Single(p => p.Name == ImageProperties.Mode).Value);
        Assert.Equal(expected, image.Annotations.OfType<ResourceCommandAnnotation>().Select(c => c.Name));
    }
}
