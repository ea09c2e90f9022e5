using System.Net.Sockets;
using Docker.DotNet;

namespace DevEnv.AppHost.Tests.Clients.Docker;

/// <summary>
/// What the port onto Docker.DotNet.Enhanced (issue 10) relies on, checked against the real daemon on this machine:
/// the builder talks to Engine 20.10 / API 1.41 with or without a pinned version, "not found" has its own exception
/// types, and an endpoint nobody listens on fails with a socket error (to be mapped to DockerUnavailableException).
/// </summary>
public sealed class DockerDotNetEngineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null)]
    [InlineData("1.41")]
    public async Task Docker_DotNet_reads_the_version_and_tells_missing_containers_and_images(string? apiVersion)
    {
        var endpoint = DevEnv.Hosting.Clients.Docker.DockerEndpointResolver.Resolve();
        var builder = new DockerClientBuilder().WithEndpoint(endpoint.Uri).WithTimeout(TimeSpan.FromSeconds(30));
        if (apiVersion is not null)
        {
            builder = builder.WithApiVersion(Version.Parse(apiVersion));
        }

        using var client = builder.Build();
        var version = await client.System.GetVersionAsync(Ct);

        Assert.Equal("linux", version.Os);
        await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => client.Containers.InspectContainerAsync("devenv-no-such-container", Ct));
        await Assert.ThrowsAsync<DockerImageNotFoundException>(() => client.Images.InspectImageAsync("devenv-no-such-image:1", Ct));
    }

    [Fact]
    public async Task An_endpoint_nobody_listens_on_fails_with_a_socket_error()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"devenv-nosock-{Guid.NewGuid():N}.sock");
        using var client = new DockerClientBuilder().WithEndpoint(new Uri("unix://" + socket)).WithTimeout(TimeSpan.FromSeconds(10)).Build();

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => client.System.PingAsync(Ct));

        Assert.IsType<SocketException>(ex.InnerException);
    }
}
