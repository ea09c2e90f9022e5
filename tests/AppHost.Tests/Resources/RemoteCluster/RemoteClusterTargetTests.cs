using System.Text;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Clients.Oci.Auth;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Resources.RemoteCluster;
using DevEnv.AppHost.Tests.Clients.Kubernetes;
using DevEnv.AppHost.Tests.Support;
using k8s;
using k8s.Models;

namespace DevEnv.AppHost.Tests.Resources.RemoteCluster;

/// <summary>
/// The remote cluster target against a strict stand-in API server on 127.0.0.1 (answers only the requests listed,
/// fails the test on any other): what it sends, in which namespace, with which field manager; what it prints; and that
/// a live cluster is the one thing not here.
/// </summary>
public sealed class RemoteClusterTargetTests : IAsyncDisposable
{
    private const string Context = "shared-dev";
    private const string Secret = "registry-pa55-never-logged";
    private readonly string _directory = Directory.CreateTempSubdirectory("devenv-remote-kube-").FullName;
    private readonly TestNotifications _notifications = new();
    private FakeApiServer? _server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // What the API server answers to a DELETE of most kinds (a Service's answer is the deleted Service).
    private static Func<Microsoft.AspNetCore.Http.HttpContext, Task> Deleted => async http =>
    {
        http.Response.ContentType = "application/json";
        await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(http.Response, """{"kind":"Status","apiVersion":"v1","status":"Success"}""", http.RequestAborted);
    };

    private static EnvironmentSettings Settings(bool pullSecret = true) => new()
    {
        Name = "demo",
        SourceRoot = "/src",
        RemoteRegistry = RegistryTarget.Parse("registry.example.com:5443/team/devenv"),
        RemoteKubeContext = Context,
        PullSecret = pullSecret,
    };

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Up_names_the_context_first_creates_the_missing_namespace_and_applies_the_pull_secret_server_side_without_logging_it()
    {
        _server = await FakeApiServer.StartAsync(Ct);
        var kubeconfig = _server.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"), Context);
        var before = File.ReadAllText(kubeconfig);
        var logs = new TestLogs();
        string[]? logsAtFirstRequest = null;
        _server.On("GET", "/api/v1/namespaces/devenv-demo", "", async http =>
            {
                logsAtFirstRequest = [.. logs.GetBacklog("cluster").Select(l => l.Text)];
                await FakeApiServer.Status(404, "NotFound", "namespaces \"devenv-demo\" not found")(http);
            })
            .On("POST", "/api/v1/namespaces", "fieldManager=devenv", FakeApiServer.Json(RemoteTargetManifests.Namespace(Settings()), 201))
            .On("PATCH", "/api/v1/namespaces/devenv-demo/secrets/demo-registry", "fieldManager=devenv&force=true&fieldValidation=Strict",
                FakeApiServer.Json(new V1Secret { Metadata = new V1ObjectMeta { Name = "demo-registry" } }));
        var target = Target(kubeconfig, Settings());

        await target.StartAsync(_notifications.Context("cluster", logs), Ct);

        Assert.NotNull(logsAtFirstRequest);
        Assert.Contains(logsAtFirstRequest, l => l.StartsWith($"Deploying to context '{Context}' (API server {_server.Address.GetLeftPart(UriPartial.Authority)})", StringComparison.Ordinal));
        var requests = _server.Requests;
        Assert.Equal(["GET", "POST", "PATCH"], requests.Select(r => r.Method));
        var created = KubernetesYaml.Deserialize<V1Namespace>(requests[1].Body);
        Assert.Equal("demo", created.Metadata.Labels[EnvironmentSettings.EnvironmentLabel]);
        Assert.Equal("application/apply-patch+yaml", requests[2].ContentType?.Split(';')[0]);
        var secret = KubernetesYaml.Deserialize<V1Secret>(requests[2].Body);
        Assert.Equal(("kubernetes.io/dockerconfigjson", "devenv-demo"), (secret.Type, secret.Metadata.NamespaceProperty));
        var config = Encoding.UTF8.GetString(secret.Data[".dockerconfigjson"]);
        Assert.Contains("registry.example.com:5443", config, StringComparison.Ordinal);
        Assert.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes("robot:" + Secret)), config, StringComparison.Ordinal);
        var logged = string.Join('\n', logs.GetBacklog("cluster").Select(l => l.Text));
        Assert.DoesNotContain(Secret, logged, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("robot:" + Secret)), logged, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(kubeconfig));
    }

    [Fact]
    public async Task An_existing_namespace_is_left_untouched_and_a_namespace_we_may_not_create_names_DEVENV_NAMESPACE()
    {
        _server = await FakeApiServer.StartAsync(Ct);
        var kubeconfig = _server.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"), Context);
        _server.On("GET", "/api/v1/namespaces/devenv-demo", "", FakeApiServer.Json(new V1Namespace { Metadata = new V1ObjectMeta { Name = "devenv-demo" } }));

        await Target(kubeconfig, Settings(pullSecret: false)).StartAsync(_notifications.Context("cluster"), Ct);
        Assert.Single(_server.Requests);

        _server.On("GET", "/api/v1/namespaces/devenv-demo", "", FakeApiServer.Status(404, "NotFound", "not found"))
            .On("POST", "/api/v1/namespaces", "", FakeApiServer.Status(403, "Forbidden", "namespaces is forbidden: User \"dev\" cannot create resource \"namespaces\""));
        var ex = await Assert.ThrowsAsync<KubernetesApiException>(() => Target(kubeconfig, Settings()).StartAsync(_notifications.Context("cluster"), Ct));
        Assert.Contains("may not create namespace devenv-demo", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was applied.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DEVENV_NAMESPACE", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task An_unknown_context_is_one_line_naming_the_contexts_there_and_nothing_is_sent()
    {
        _server = await FakeApiServer.StartAsync(Ct);
        var kubeconfig = _server.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"), "another-context");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Target(kubeconfig, Settings()).StartAsync(_notifications.Context("cluster"), Ct));

        Assert.Contains($"Context '{Context}' (DEVENV_KUBE_CONTEXT) is not in {kubeconfig}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("another-context, someone-elses", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_pull_secret_we_may_not_write_says_the_namespace_was_created_and_nothing_else()
    {
        _server = await FakeApiServer.StartAsync(Ct);
        var kubeconfig = _server.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"), Context);
        _server.On("GET", "/api/v1/namespaces/devenv-demo", "", FakeApiServer.Status(404, "NotFound", "not found"))
            .On("POST", "/api/v1/namespaces", "", FakeApiServer.Json(RemoteTargetManifests.Namespace(Settings()), 201))
            .On("PATCH", "/api/v1/namespaces/devenv-demo/secrets/demo-registry", "", FakeApiServer.Status(403, "Forbidden", "secrets is forbidden"));

        var ex = await Assert.ThrowsAsync<KubernetesApiException>(() => Target(kubeconfig, Settings()).StartAsync(_notifications.Context("cluster"), Ct));

        Assert.Contains("secrets is forbidden", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("Namespace devenv-demo was created; nothing else was applied.", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_API_server_is_one_line_naming_the_context_and_that_nothing_was_applied()
    {
        _server = await FakeApiServer.StartAsync(Ct);
        // The stand-in's kubeconfig has a second context whose server (127.0.0.1:9) refuses connections.
        var kubeconfig = _server.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"), Context);
        var settings = Settings() with { RemoteKubeContext = "someone-elses" };
        var target = new RemoteClusterTarget("cluster", settings, new KubernetesClient(kubeconfig, "someone-elses", settings.WorkloadNamespace), kubeconfig,
            _ => Task.FromResult<RegistryCredentials?>(null));

        var ex = await Assert.ThrowsAsync<KubernetesApiException>(() => target.StartAsync(_notifications.Context("cluster"), Ct));

        Assert.StartsWith("Cannot reach the API server http://127.0.0.1:9 of context 'someone-elses'", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was applied.", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Down_deletes_only_what_carries_our_label_in_that_namespace()
    {
        _server = await FakeApiServer.StartAsync(Ct);
        var kubeconfig = _server.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"), Context);
        const string selector = "labelSelector=dev.devenv.environment%3Ddemo";
        var ours = new V1ObjectMeta { Name = "sampleapi" };
        _server.On("GET", "/apis/apps/v1/namespaces/devenv-demo/deployments", selector, FakeApiServer.Json(new V1DeploymentList { Items = [new V1Deployment { Metadata = ours }] }))
            .On("DELETE", "/apis/apps/v1/namespaces/devenv-demo/deployments/sampleapi", "", Deleted)
            .On("GET", "/api/v1/namespaces/devenv-demo/services", selector, FakeApiServer.Json(new V1ServiceList { Items = [new V1Service { Metadata = ours }] }))
            .On("DELETE", "/api/v1/namespaces/devenv-demo/services/sampleapi", "", FakeApiServer.Json(new V1Service { Metadata = ours }))
            .On("GET", "/api/v1/namespaces/devenv-demo/configmaps", selector, FakeApiServer.Json(new V1ConfigMapList { Items = [] }))
            .On("GET", "/api/v1/namespaces/devenv-demo/secrets", selector, FakeApiServer.Json(new V1SecretList { Items = [new V1Secret { Metadata = new V1ObjectMeta { Name = "demo-registry" } }] }))
            .On("DELETE", "/api/v1/namespaces/devenv-demo/secrets/demo-registry", "", Deleted);

        await Target(kubeconfig, Settings()).DestroyAsync(_notifications.Context("cluster"), Ct);

        Assert.Equal(7, _server.Requests.Count);
        Assert.DoesNotContain(_server.Requests, r => r.Path.StartsWith("/api/v1/namespaces/devenv-demo", StringComparison.Ordinal) && r.Method == "DELETE" && r.Path == "/api/v1/namespaces/devenv-demo");
    }

    [Fact]
    public async Task Down_keeps_the_volume_claims_and_purge_deletes_only_ours()
    {
        _server = await FakeApiServer.StartAsync(Ct);
        var kubeconfig = _server.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"), Context);
        const string selector = "labelSelector=dev.devenv.environment%3Ddemo";
        var claim = new V1ObjectMeta { Name = "cache-data" };
        _server.On("GET", "/api/v1/namespaces/devenv-demo/persistentvolumeclaims", selector, FakeApiServer.Json(new V1PersistentVolumeClaimList { Items = [new V1PersistentVolumeClaim { Metadata = claim }] }))
            .On("DELETE", "/api/v1/namespaces/devenv-demo/persistentvolumeclaims/cache-data", "", FakeApiServer.Json(new V1PersistentVolumeClaim { Metadata = claim }));

        await Target(kubeconfig, Settings()).PurgeAsync(_notifications.Context("cluster"), Ct);

        Assert.Equal(["GET", "DELETE"], _server.Requests.Select(r => r.Method));
        Assert.Equal("/api/v1/namespaces/devenv-demo/persistentvolumeclaims/cache-data", _server.Requests[1].Path);
        // Plain down (the test above) sends no request about claims at all: the strict server would have refused it.
    }

    [Fact]
    public async Task Up_and_down_against_a_live_shared_cluster()
    {
        // Runs where a cluster exists: DEVENV_TEST_KUBE_CONTEXT names a context in KUBECONFIG whose user may create a namespace.
        var context = Environment.GetEnvironmentVariable("DEVENV_TEST_KUBE_CONTEXT");
        if (string.IsNullOrEmpty(context))
        {
            Assert.Skip("needs a live Kubernetes cluster (set DEVENV_TEST_KUBE_CONTEXT to a context in KUBECONFIG); none can run on this machine (no kubelet or API server can be installed here, see ENVIRONMENT.md). The requests up and down send are covered above against a strict stand-in API server.");
        }

        var kubeconfig = UserKubeconfig.Path(Environment.GetEnvironmentVariable);
        var settings = Settings(pullSecret: false) with { Name = "t" + Guid.NewGuid().ToString("N")[..8], RemoteKubeContext = context };
        var target = new RemoteClusterTarget("cluster", settings, new KubernetesClient(kubeconfig, context, settings.WorkloadNamespace), kubeconfig,
            _ => Task.FromResult<RegistryCredentials?>(null));

        await target.StartAsync(_notifications.Context("cluster"), Ct);
        await target.DestroyAsync(_notifications.Context("cluster"), Ct);

        Assert.Equal("Stopped", _notifications.Get("cluster").State);
    }

    private RemoteClusterTarget Target(string kubeconfig, EnvironmentSettings settings) =>
        new("cluster", settings, new KubernetesClient(kubeconfig, Context, settings.WorkloadNamespace), kubeconfig,
            _ => Task.FromResult<RegistryCredentials?>(new RegistryCredentials("robot", Secret, "test")));
}
