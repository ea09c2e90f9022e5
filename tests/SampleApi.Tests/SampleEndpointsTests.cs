using System.Net;
using System.Text.Json;
using DevEnv.SampleApi.Tests.Infrastructure;

namespace DevEnv.SampleApi.Tests;

/// <summary>The sample's endpoints on the published, trimmed binary.</summary>
[Collection(PublishedAppCollection.Name)]
public sealed class SampleEndpointsTests(PublishedApp app) : IAsyncLifetime
{
    private AppInstance? _instance;
    private HttpClient? _client;

    private HttpClient Client => _client!;

    public async ValueTask InitializeAsync()
    {
        _instance = AppInstance.Start(app, TimeSpan.Zero,
            extraEnvironment: new Dictionary<string, string> { ["APP_IMAGE_TAG"] = "sha-test123" });
        try
        {
            await _instance.WaitUntilReadyAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            // DisposeAsync is not called when initialisation fails: do not leave the process behind.
            await _instance.DisposeAsync();
            _instance = null;
            throw;
        }

        _client = new HttpClient { BaseAddress = _instance.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_instance is not null)
        {
            await _instance.DisposeAsync();
        }
    }

    // One test per instance start: starting the app is the expensive part on a busy machine.
    [Fact]
    public async Task Root_Work_Version_AnswerAsSpecified()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal("Hello, World!", await Client.GetStringAsync("/", ct));

        using var work = await Client.GetAsync("/work?ms=0", ct);
        Assert.Equal(HttpStatusCode.OK, work.StatusCode);

        using var version = JsonDocument.Parse(await Client.GetStringAsync("/version", ct));
        Assert.False(string.IsNullOrEmpty(version.RootElement.GetProperty("version").GetString()));
        Assert.Equal("sha-test123", version.RootElement.GetProperty("imageTag").GetString());
    }

    [Fact]
    public async Task Work_WithBadDuration_AnswersProblemDetails()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var path in new[] { "/work", "/work?ms=", "/work?ms=-1", "/work?ms=60001", "/work?ms=abc", "/work?ms=1.5", "/work?ms=99999999999999" })
        {
            using var response = await Client.GetAsync(path, ct);

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
            Assert.Contains("from 0 to 60000", problem.RootElement.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task HealthEndpoints_AnswerShortJson_OnTheManagementPortOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        using var management = new HttpClient { BaseAddress = _instance!.ManagementAddress };
        foreach (var (path, check) in new[] { ("/healthz/startup", "started"), ("/healthz/live", "self"), ("/healthz/ready", "draining") })
        {
            using var onAppPort = await Client.GetAsync(path, ct);
            Assert.Equal(HttpStatusCode.NotFound, onAppPort.StatusCode);
            using var response = await management.GetAsync(path, ct);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
            Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty(check).GetString());
        }
    }
}
