// The environment written as code, in Aspire's idiom. `dotnet run --project AppHost` brings it up under DCP with the
// Aspire dashboard; `-- down`, `-- status`, `-- manifests`, `-- build`, `-- verify-rollout` work on the same model.
// With a cluster in the model, every project and container below runs in it: add yours as you would in any AppHost
// (AddProject, AddRedis, AddParameter, WithReference, WaitFor); README, "Your own app".
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Resources.Cluster;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Resources.Registry;
using DevEnv.Hosting.Resources.RemoteCluster;

var builder = DevEnvApplication.CreateBuilder(args);

if (builder.DevEnv().Settings.IsRemote)
{
    // DEVENV_REGISTRY and DEVENV_KUBE_CONTEXT: an existing cluster that pulls from a remote registry; no registry
    // container, no kind. The app goes to DEVENV_NAMESPACE by digest, with a pull Secret and ClusterIP Services.
    builder.AddRemoteCluster("cluster");
}
else
{
    // A registry container on 127.0.0.1:5001 (persistent: Ctrl+C leaves it running), and a kind cluster that pulls
    // from it, created while the images build.
    var registry = builder.AddLocalRegistry("registry");
    builder.AddKindCluster("cluster").WithRegistry(registry);
}

// SampleApi, published as a content-tagged image and run in the cluster; on kind at http://localhost:31000.
builder.AddProject<Projects.SampleApi>("sampleapi")
    .WithKindDeployment(nodePort: builder.DevEnv().Settings.NodePort);

return await builder.Build().RunDevEnvAsync();
