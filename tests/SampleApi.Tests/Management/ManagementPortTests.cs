using System.Net;
using DevEnv.SampleApi.Tests.Infrastructure;

namespace DevEnv.SampleApi.Tests.Management;

/// <summary>Nothing a client of the Service sends changes the pod's lifecycle: there is no HTTP pre-stop.</summary>
[Collection(PublishedAppCollection.Name)]
public sealed class ManagementPortTests(PublishedApp app)
{
    [Fact]
    public async Task PreStopPath_GetOrPost_OnTheServingPort_LeavesReadiness200()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var instance = AppInstance.Start(app, TimeSpan.FromSeconds(30));
        await instance.WaitUntilReadyAsync(ct);
        using var client = new HttpClient { BaseAddress = instance.BaseAddress };
        using var management = new HttpClient { BaseAddress = instance.ManagementAddress };

        for (var i = 0; i < 5; i++)
        {
            using var get = await client.GetAsync("/prestop", ct);
            using var post = await client.PostAsync("/prestop", null, ct);
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        }

        // Nor on the management port: it answers the three probe paths to GET/HEAD and nothing else.
        using (var appOnManagement = await management.GetAsync("/", ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, appOnManagement.StatusCode);
        }

        using (var onManagement = await management.PostAsync("/prestop", null, ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, onManagement.StatusCode);
        }

        using (var postReady = await management.PostAsync("/healthz/ready", null, ct))
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, postReady.StatusCode);
        }

        await Task.Delay(1000, ct); // a drain would have turned readiness off at once
        using var ready = await management.GetAsync("/healthz/ready", ct);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var probe = await instance.RunCommandAsync(["probe", "ready"], ct);
        Assert.True(probe.ExitCode == 0, $"probe ready: {probe}");
        Assert.Empty(instance.LogEvents(1001)); // no drain started
        Assert.Equal("Hello, World!", await client.GetStringAsync("/", ct));
    }
}
