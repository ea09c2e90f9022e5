// The environment written as code: which resources, and how they depend on each other.
// `dotnet run --project AppHost` brings it up; `-- down`, `-- status`, `-- manifests`, `-- build`, `-- verify-rollout`.
using DevEnv.AppHost.Cli;
using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Orchestration;
using DevEnv.AppHost.Resources.Cluster;
using DevEnv.AppHost.Resources.Deployment;
using DevEnv.AppHost.Resources.Image;
using DevEnv.AppHost.Resources.Registry;

var builder = new DevEnvironmentBuilder(EnvironmentSettings.FromEnvironment());

// A registry container on 127.0.0.1:5001, and SampleApi published into it as a content-tagged image.
var registry = builder.AddRegistry();
var image = builder.AddProjectImage(registry);

// A kind cluster that pulls from that registry; created while the image builds.
var cluster = builder.AddKindCluster(registry);

// SampleApi in the cluster (Deployment + NodePort 31000), rolled out whenever the image changes.
var deployment = builder.AddSampleApiDeployment(image, cluster);
builder.AddRolloutVerification(deployment);

return await builder.Build().RunAsync(args);
