using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DevEnv.AppHost.Tests.Support;
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Cli;
using DevEnv.Hosting.Resources.Cluster;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Resources.Registry;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace DevEnv.AppHost.Tests.AppModel;

/// <summary>
/// A team's app model in Aspire's idiom (two projects, a reference between them, a Redis, a plain and a secret
/// parameter, WaitFor), rendered by the real <c>manifests</c> verb on the real Aspire model: what reaches the cluster is
/// the environment Aspire gives each process, with in-cluster addresses, secrets in a Secret, and each project's own
/// executable and probes.
/// </summary>
public sealed class TeamAppManifestsTests : IDisposable
{
    private const string ApiKey = "team-api-key-5f0c2a";
    private readonly string _state = Directory.CreateTempSubdirectory("devenv-team-app-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    private static string SourceRoot { get; } = DevEnv.Hosting.Configuration.EnvironmentSettings.FindSourceRoot();

    /// <summary>The team's Program.cs, built on DevEnv's builder with <paramref name="args"/>.</summary>
    private IDistributedApplicationBuilder TeamApp(params string[] args)
    {
        var builder = DevEnvApplication.CreateBuilder(["manifests", $"--DEVENV_STATE_DIR={_state}", "--DEVENV_NAME=team", .. args]);
        var registry = builder.AddLocalRegistry("registry");
        builder.AddKindCluster("cluster").WithRegistry(registry);
        var cache = builder.AddRedis("cache");
        var apiKey = builder.AddParameter("apikey", secret: true);
        var greeting = builder.AddParameter("greeting", "hello");
        var api = Aspire.Hosting.ProjectResourceBuilderExtensions.AddProject(builder, "sampleapi", Path.Combine(SourceRoot, "SampleApi", "SampleApi.csproj"))
            .WithKindDeployment(nodePort: 31000)
            .WithReference(cache)
            .WaitFor(cache);
        Aspire.Hosting.ProjectResourceBuilderExtensions.AddProject(builder, "frontend", Path.Combine(SourceRoot, "tests", "Fixtures", "TeamApp", "Frontend", "Frontend.csproj"))
            .WithHttpEndpoint(name: "http")
            .WithExternalHttpEndpoints()
            .WithReference(api)
            .WithEnvironment("API_KEY", apiKey)
            .WithEnvironment("GREETING", greeting)
            .WaitFor(api);
        Aspire.Hosting.ProjectResourceBuilderExtensions.AddProject(builder, "orders", Path.Combine(SourceRoot, "tests", "Fixtures", "TeamApp", "Orders", "Orders.csproj"))
            .WithReference(cache);
        return builder;
    }

    private static async Task<(int ExitCode, string Output, string Error)> ManifestsAsync(IDistributedApplicationBuilder builder)
    {
        await using var app = builder.Build();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await VerbRunner.RunAsync(app, new CliConsole(output, error, Interactive: false));
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Every_project_and_container_renders_with_the_environment_aspire_gives_it_evaluated_for_the_cluster()
    {
        var (exitCode, output, error) = await ManifestsAsync(TeamApp($"--Parameters:apikey={ApiKey}"));

        Assert.True(exitCode == 0, error);
        var kubernetes = ManifestsVerb.Join(output.Split("---\n", StringSplitOptions.RemoveEmptyEntries).Skip(1));
        Assert.Empty(KubernetesSchema.Instance.Validate(kubernetes));
        var objects = KubernetesYaml.LoadAllFromString(kubernetes).Cast<IKubernetesObject<V1ObjectMeta>>().ToList();
        var deployments = objects.OfType<V1Deployment>().ToDictionary(d => d.Metadata.Name);
        var services = objects.OfType<V1Service>().ToDictionary(s => s.Metadata.Name);
        Assert.Equal(["cache", "frontend", "orders", "sampleapi"], deployments.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["cache", "frontend", "orders", "sampleapi"], services.Keys.Order(StringComparer.Ordinal));

        // References resolve to the Services' in-cluster addresses, never localhost.
        var frontend = deployments["frontend"].Spec.Template.Spec.Containers.Single();
        var env = frontend.Env.ToDictionary(e => e.Name);
        Assert.Equal("http://sampleapi:8080", env["services__sampleapi__http__0"].Value);
        Assert.Equal("http://sampleapi:8080", env["SAMPLEAPI_HTTP"].Value);
        Assert.Equal("hello", env["GREETING"].Value);
        Assert.DoesNotContain(frontend.Env, e => e.Value?.Contains("localhost", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(frontend.Env, e => e.Name is "ASPNETCORE_URLS" or "HTTP_PORTS" or "DOTNET_LAUNCH_PROFILE");
        Assert.Equal(("frontend-env", "API_KEY"), (env["API_KEY"].ValueFrom.SecretKeyRef.Name, env["API_KEY"].ValueFrom.SecretKeyRef.Key));

        // Redis' connection string holds its generated password: the whole value goes through the Secret.
        var api = deployments["sampleapi"].Spec.Template.Spec.Containers.Single();
        var connection = api.Env.Single(e => e.Name == "ConnectionStrings__cache");
        Assert.Equal("sampleapi-env", connection.ValueFrom.SecretKeyRef.Name);
        var secrets = objects.OfType<V1Secret>().ToDictionary(s => s.Metadata.Name);
        Assert.Contains("ConnectionStrings__cache", secrets["sampleapi-env"].Metadata.Annotations[WorkloadManifests.SecretKeysAnnotation], StringComparison.Ordinal);
        Assert.True(secrets.Values.All(s => s.Data is null && s.StringData is null), "a printed Secret names its keys only");
        Assert.DoesNotContain(ApiKey, output, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, error, StringComparison.Ordinal);

        // The container: its image, its port, its password from the Secret, its entrypoint's arguments.
        var cache = deployments["cache"].Spec.Template.Spec.Containers.Single();
        Assert.StartsWith("docker.io/library/redis:", cache.Image, StringComparison.Ordinal);
        Assert.Equal(6379, services["cache"].Spec.Ports.Single().Port);
        Assert.Equal("cache-env", cache.Env.Single(e => e.Name == "REDIS_PASSWORD").ValueFrom.SecretKeyRef.Name);
        Assert.Contains(cache.Args, a => a.Contains("--requirepass $(REDIS_PASSWORD)", StringComparison.Ordinal) || a.Contains("$REDIS_PASSWORD", StringComparison.Ordinal));
        Assert.Equal("ClusterIP", services["cache"].Spec.Type);

        // Each project runs its own executable; the one without ServiceDefaults gets probes on its endpoint, nothing of SampleApi's.
        // (The image's entrypoint is the published apphost, /app/TeamFrontend: no command is rendered over it.)
        Assert.Null(frontend.Command);
        Assert.Null(frontend.Lifecycle.PreStop.Exec);
        var frontendJson = KubernetesJson.Serialize(deployments["frontend"]);
        Assert.DoesNotContain("SampleApi", frontendJson, StringComparison.Ordinal);
        Assert.NotNull(frontend.ReadinessProbe);
        Assert.Null(frontend.ReadinessProbe.Exec);
        Assert.Equal("/app/SampleApi", api.Lifecycle.PreStop.Exec.Command[0]);
        var orders = deployments["orders"].Spec.Template.Spec.Containers.Single();
        Assert.Equal("/app/TeamOrders", orders.Lifecycle.PreStop.Exec.Command[0]);
        Assert.DoesNotContain("SampleApi", KubernetesJson.Serialize(deployments["orders"]), StringComparison.Ordinal);

        // Both external endpoints reach 127.0.0.1: the fixed node port first, the next of the range for the other.
        Assert.Equal(("NodePort", 31000), (services["sampleapi"].Spec.Type, services["sampleapi"].Spec.Ports.Single().NodePort));
        Assert.Equal(("NodePort", 31001), (services["frontend"].Spec.Type, services["frontend"].Spec.Ports.Single().NodePort));
    }

    [Fact]
    public async Task A_parameter_without_a_value_is_one_line_that_names_it_and_how_to_set_it()
    {
        var (exitCode, output, error) = await ManifestsAsync(TeamApp());

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Parameter 'apikey'", line, StringComparison.Ordinal);
        Assert.Contains("Parameters__apikey", line, StringComparison.Ordinal);
    }

    [Fact]
    public void WaitFor_waits_for_the_deployment_in_the_cluster_and_nothing_of_the_app_runs_locally_as_well()
    {
        using var app = TeamApp($"--Parameters:apikey={ApiKey}").Build();
        DevEnvApplication.ExpandModel(app); // what BeforeStartEvent does under DCP

        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var deployment = (string name) => model.Resources.OfType<KubernetesDeploymentResource>().Single(r => r.Name == name + "-deployment");
        var waits = (IResource resource) => resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).ToArray();
        Assert.Contains("cache-deployment", waits(deployment("sampleapi")));
        Assert.Contains("sampleapi-deployment", waits(deployment("frontend")));
        Assert.DoesNotContain(model.Resources, r => r.Name == "registry-deployment");
        Assert.All(new[] { "cache", "sampleapi", "frontend", "orders" }, name =>
            Assert.Contains(model.Resources.Single(r => r.Name == name).Annotations, a => a is ExplicitStartupAnnotation));
    }
}
