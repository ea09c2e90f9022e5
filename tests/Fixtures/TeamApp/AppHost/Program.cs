// A team's AppHost in Aspire's idiom. The two DevEnv lines: AddDevEnv() (or any of AddLocalRegistry, AddKindCluster)
// and RunDevEnvAsync(), which also runs the verbs (`-- manifests`, `-- build`, `-- down`).
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Resources.Cluster;
using DevEnv.Hosting.Resources.Registry;

var builder = DistributedApplication.CreateBuilder(args);
builder.AddDevEnv();
var registry = builder.AddLocalRegistry("registry");
builder.AddKindCluster("cluster").WithRegistry(registry);

var cache = builder.AddRedis("cache");
var apiKey = builder.AddParameter("apikey", secret: true);
var orders = builder.AddProject<Projects.Orders>("orders")
    .WithReference(cache)
    .WaitFor(cache);
builder.AddProject<Projects.Frontend>("frontend")
    .WithHttpEndpoint(name: "http")
    .WithExternalHttpEndpoints()
    .WithReference(orders)
    .WithEnvironment("API_KEY", apiKey);

return await builder.Build().RunDevEnvAsync();
