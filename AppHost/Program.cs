// The environment written as code, in Aspire's idiom. `dotnet run --project AppHost` brings it up under DCP with the
// Aspire dashboard; `-- down`, `-- status`, `-- manifests`, `-- build`, `-- verify-rollout` work on the same model.
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Resources.Cluster;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Resources.Registry;
using DevEnv.Hosting.Resources.RemoteCluster;

var builder = DevEnvApplication.CreateBuilder(args);

if (builder.DevEnv().Settings.IsRemote)
{
    // DEVENV_REGISTRY and DEVENV_KUBE_CONTEXT: an existing cluster that pulls from a remote registry; no registry
    // container, no kind. SampleApi goes to DEVENV_NAMESPACE by digest, with a pull Secret and a ClusterIP Service.
    var shared = builder.AddRemoteCluster("cluster");
    builder.AddProject<Projects.SampleApi>("sampleapi").WithRemoteDeployment(shared);
}
else
{
    // A registry container on 127.0.0.1:5001 (persistent: Ctrl+C leaves it running).
    var registry = builder.AddLocalRegistry("registry");

    // A kind cluster that pulls from that registry; created while the images build.
    var cluster = builder.AddKindCluster("cluster").WithRegistry(registry);

    // SampleApi published as a content-tagged image and run in the cluster (Deployment + NodePort 31000).
    builder.AddProject<Projects.SampleApi>("sampleapi")
        .WithKindDeployment(cluster, registry, nodePort: builder.DevEnv().Settings.NodePort);
}

return await builder.Build().RunDevEnvAsync();
