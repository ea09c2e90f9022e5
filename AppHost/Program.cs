// The environment written as code: which resources, and how they depend on each other.
// `dotnet run --project AppHost` brings it up; `-- down`, `-- status`, `-- manifests`, `-- build`, `-- verify-rollout`.
using DevEnv.AppHost.Cli;
using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Orchestration;

var builder = new DevEnvironmentBuilder(EnvironmentSettings.FromEnvironment());

// Resources are added here as their kinds land (registry, image, cluster, deployment):
//   var registry   = builder.AddRegistry();
//   var image      = builder.AddImage(registry);
//   var cluster    = builder.AddCluster(registry);
//   var deployment = builder.AddDeployment(image, cluster);

return await builder.Build().RunAsync(args);
