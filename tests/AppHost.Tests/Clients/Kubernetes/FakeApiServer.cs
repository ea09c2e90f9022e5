using System.Collections.Concurrent;
using System.Net;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DevEnv.AppHost.Tests.Clients.Kubernetes;

/// <summary>
/// A stand-in kube-apiserver on 127.0.0.1 (real Kestrel, real HTTP) that answers only the requests it was told
/// about, each once unless told otherwise; anything else gets a 500 and fails the test when the server is disposed.
/// It writes a kubeconfig for the real KubernetesClient whose current-context is a different, unreachable cluster,
/// so a client that ignored the explicit context would fail.
/// </summary>
internal sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<Rule> _rules = [];
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<string> _unexpected = new();

    private FakeApiServer(WebApplication app) => _app = app;

    /// <summary>http://127.0.0.1:PORT.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Starts the server on <paramref name="port"/> (0: any free one), e.g. on a port a client was already refused at.</summary>
    public static async Task<FakeApiServer> StartAsync(CancellationToken cancellationToken, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var server = new FakeApiServer(app);
        app.UseWebSockets(); // pods/portforward upgrades; every other request passes through untouched
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        server.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return server;
    }

    /// <summary>
    /// Answers <paramref name="method"/> on <paramref name="path"/> whose query has (at least) the parameters of
    /// <paramref name="query"/> ("a=1&amp;b=2"), once unless <paramref name="times"/> says more.
    /// </summary>
    public FakeApiServer On(string method, string path, string query, Func<HttpContext, Task> respond, int times = 1)
    {
        var expected = string.IsNullOrEmpty(query)
            ? []
            : query.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        lock (_rules)
        {
            _rules.Add(new Rule(method, path, expected, respond, times));
        }

        return this;
    }

    /// <summary>Writes a kubeconfig naming this server as context <paramref name="context"/>; the file's current-context is another cluster.</summary>
    public string WriteKubeconfig(string path, string context)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, KubeconfigFor(Address, context));
        return path;
    }

    /// <summary>A kubeconfig with <paramref name="server"/> as <paramref name="context"/> and a current-context that refuses connections.</summary>
    public static string KubeconfigFor(Uri server, string context) => $"""
        apiVersion: v1
        kind: Config
        current-context: someone-elses
        clusters:
        - name: ours
          cluster:
            server: {server.GetLeftPart(UriPartial.Authority)}
        - name: theirs
          cluster:
            server: http://127.0.0.1:9
        contexts:
        - name: {context}
          context:
            cluster: ours
            user: ours
            namespace: default
        - name: someone-elses
          context:
            cluster: theirs
            user: ours
        users:
        - name: ours
          user:
            token: fake-token
        """;

    /// <summary>Answers with an API object (or list) as the API server's JSON.</summary>
    public static Func<HttpContext, Task> Json(object body, int status = 200) => async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(KubernetesJson.Serialize(body), context.RequestAborted);
    };

    /// <summary>Answers with a Status object, as the API server explains a refusal.</summary>
    public static Func<HttpContext, Task> Status(int code, string reason, string message) => async context =>
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["reason"] = reason, ["code"] = code, ["message"] = message,
        }), context.RequestAborted);
    };

    /// <summary>Answers with plain text (a pod's log).</summary>
    public static Func<HttpContext, Task> Text(string body) => context =>
    {
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(body, context.RequestAborted);
    };

    /// <summary>Writes one watch event line and flushes it, for responders that pace their own stream.</summary>
    public static async Task WriteEventAsync(HttpContext context, string type, object item)
    {
        if (!context.Response.HasStarted)
        {
            context.Response.ContentType = "application/json";
        }

        await context.Response.WriteAsync($"{{\"type\":\"{type}\",\"object\":{KubernetesJson.Serialize(item)}}}\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    /// <summary>
    /// A watch stream: one JSON line per event, flushed one by one, then held open until the client goes away
    /// (<paramref name="keepOpen"/>) or closed, as the API server closes a watch at its timeout.
    /// </summary>
    public static Func<HttpContext, Task> Watch(bool keepOpen, params (string Type, object Object)[] events) => async context =>
    {
        context.Response.ContentType = "application/json";
        await context.Response.Body.FlushAsync(context.RequestAborted);
        foreach (var (type, item) in events)
        {
            await WriteEventAsync(context, type, item);
        }

        if (keepOpen)
        {
            await HoldOpenAsync(context);
        }
    };

    /// <summary>Keeps a stream open until the client goes away.</summary>
    public static async Task HoldOpenAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client stopped watching.
        }
    }

    /// <summary>Fails the test when a request came that the server was not told about.</summary>
    public void AssertNoUnexpectedRequests() => Assert.True(_unexpected.IsEmpty, "unexpected requests: " + string.Join("; ", _unexpected));

    public async ValueTask DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(deadline.Token);
        await _app.DisposeAsync();
        AssertNoUnexpectedRequests();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var recorded = new RecordedRequest(request.Method, request.Path.Value ?? "",
            request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()), request.ContentType, body);
        _requests.Enqueue(recorded);
        Rule? rule;
        lock (_rules)
        {
            rule = _rules.FirstOrDefault(r => r.Remaining > 0 && r.Matches(recorded));
            if (rule is not null)
            {
                rule.Remaining--;
            }
        }

        if (rule is null)
        {
            _unexpected.Enqueue($"{recorded.Method} {recorded.Path}{request.QueryString}");
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync("""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"the fake API server was not told about this request"}""");
            return;
        }

        await rule.Respond(context);
    }

    private sealed class Rule(string method, string path, Dictionary<string, string> query, Func<HttpContext, Task> respond, int times)
    {
        public int Remaining { get; set; } = times;

        public Func<HttpContext, Task> Respond { get; } = respond;

        public bool Matches(RecordedRequest request) =>
            request.Method == method && request.Path == path
            && query.All(q => request.Query.TryGetValue(q.Key, out var value) && value == q.Value);
    }
}
