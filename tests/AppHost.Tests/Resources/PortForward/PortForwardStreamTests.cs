using System.Text;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.AppHost.Tests.Clients.Kubernetes;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.PortForward;

/// <summary>
/// The real KubernetesClient's pods/portforward (its WebSocket upgrade, <see cref="PortForwardStream"/>'s channel
/// protocol) against the stand-in API server, which forwards to a real SampleApi process as the kubelet would.
/// </summary>
public sealed class PortForwardStreamTests : IDisposable
{
    private readonly TestResources _env = new();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_http_request_through_the_api_servers_port_forward_reaches_the_pod_and_its_answer_comes_back()
    {
        var appPort = FreePort.Next();
        await using var app = await SampleApiPods.StartAsync(appPort, Ct);
        await using var server = await FakeApiServer.StartAsync(Ct);
        server.On("GET", "/api/v1/namespaces/default/pods/sampleapi-1/portforward", "ports=8080", PortForwardResponder.To(appPort, 8080));
        var client = new KubernetesClient(server.WriteKubeconfig(Path.Combine(_env.StateDirectory, "kubeconfig"), "kind-devenv"), "kind-devenv");

        string answer;
        await using (var stream = await client.OpenAsync("default", "sampleapi-1", 8080, Ct))
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: sampleapi\r\nConnection: close\r\n\r\n"), Ct);
            using var reader = new StreamReader(stream);
            answer = await reader.ReadToEndAsync(Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct);
        }

        Assert.StartsWith("HTTP/1.1 200 OK", answer);
        Assert.EndsWith("\r\n\r\nd\r\nHello, World!\r\n0\r\n\r\n", answer); // chunked, as Kestrel sends it
        server.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task A_managed_url_reaches_the_ready_pod_through_the_real_clients_list_watch_and_port_forward()
    {
        var appPort = FreePort.Next();
        await using var app = await SampleApiPods.StartAsync(appPort, Ct);
        const string Selector = "app.kubernetes.io/name=sampleapi";
        var pod = new k8s.Models.V1Pod
        {
            ApiVersion = "v1", Kind = "Pod",
            Metadata = new k8s.Models.V1ObjectMeta { Name = "sampleapi-1", NamespaceProperty = "default", ResourceVersion = "7" },
            Status = new k8s.Models.V1PodStatus { Conditions = [new k8s.Models.V1PodCondition { Type = "Ready", Status = "True" }] },
        };
        await using var server = await FakeApiServer.StartAsync(Ct);
        server.On("GET", "/api/v1/namespaces/default/pods", $"watch=true&labelSelector={Selector}", FakeApiServer.Watch(keepOpen: true))
            .On("GET", "/api/v1/namespaces/default/pods", $"labelSelector={Selector}",
                FakeApiServer.Json(new k8s.Models.V1PodList { ApiVersion = "v1", Kind = "PodList", Metadata = new k8s.Models.V1ListMeta { ResourceVersion = "7" }, Items = [pod] }))
            .On("GET", "/api/v1/namespaces/default/pods/sampleapi-1/portforward", "ports=8080", PortForwardResponder.To(appPort, 8080), times: 3);
        var client = new KubernetesClient(server.WriteKubeconfig(Path.Combine(_env.StateDirectory, "kubeconfig"), "kind-devenv"), "kind-devenv");
        await using var forward = new DevEnv.Hosting.Resources.PortForward.ManagedPortForward(client, "default", Selector, 8080, FreePort.Next());
        await forward.StartAsync(Ct);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        Assert.Equal("Hello, World!", await http.GetStringAsync(forward.Url, Ct));
        Assert.Equal("sampleapi-1", forward.CurrentPod);
        Assert.Equal((1L, 0L), forward.Counts);
        server.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task A_port_nothing_listens_on_in_the_pod_fails_the_read_with_the_kubelets_words()
    {
        await using var server = await FakeApiServer.StartAsync(Ct);
        server.On("GET", "/api/v1/namespaces/default/pods/sampleapi-1/portforward", "ports=8080", PortForwardResponder.To(FreePort.Next(), 8080));
        var client = new KubernetesClient(server.WriteKubeconfig(Path.Combine(_env.StateDirectory, "kubeconfig"), "kind-devenv"), "kind-devenv");

        await using var stream = await client.OpenAsync("default", "sampleapi-1", 8080, Ct);
        var ex = await Assert.ThrowsAsync<IOException>(async () => await stream.ReadAsync(new byte[16], Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(20), Ct));

        Assert.StartsWith("the port-forward to pod default/sampleapi-1:8080 failed: an error occurred forwarding 8080 -> 8080", ex.Message);
        Assert.Contains("ConnectionRefused", ex.Message);
    }

    public void Dispose() => _env.Dispose();
}
