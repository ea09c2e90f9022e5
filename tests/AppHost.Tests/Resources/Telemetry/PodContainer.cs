using DevEnv.Hosting.Clients.Docker;
using Docker.DotNet;
using Docker.DotNet.Models;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.Telemetry;

/// <summary>
/// An image run on the real Docker Engine the way the kubelet runs the Deployment's container: the environment it
/// resolved, the pod's name as hostname, uid 1654, a read-only root with a tmpfs /tmp (the emptyDir), no capabilities,
/// on a given network (the kind network's stand-in). Port 8080 is published on 127.0.0.1 for the test's requests.
/// Removed on dispose.
/// </summary>
public sealed class PodContainer : IAsyncDisposable
{
    private readonly IDockerClient _docker;
    private readonly HttpClient _http;

    private PodContainer(IDockerClient docker, string id, int port)
    {
        _docker = docker;
        Id = id;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <summary>The container's ID.</summary>
    public string Id { get; }

    /// <summary>
    /// Pulls <paramref name="image"/>, runs it as described above and waits (60 s at most) until GET / answers; a
    /// container that exits or never answers fails with its last output.
    /// </summary>
    public static async Task<PodContainer> StartAsync(DockerTestEnvironment env, string image, string podName, string network,
        IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        await env.Engine.Images.PullImageAsync(image, null, cancellationToken);
        var port = FreePort.Next();
        var created = await env.Engine.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = $"{env.Name}-{podName}",
            Hostname = podName,
            Image = image,
            User = "1654",
            Env = environment.Select(e => $"{e.Key}={e.Value}").ToList(),
            Labels = new Dictionary<string, string>(env.Labels),
            HostConfig = new HostConfig
            {
                NetworkMode = network,
                PortBindings = new Dictionary<string, IList<PortBinding>> { ["8080/tcp"] = [new PortBinding { HostIP = "127.0.0.1", HostPort = port.ToString() }] },
                ReadonlyRootfs = true,
                Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,size=64m" },
                CapDrop = ["ALL"],
            },
        }, cancellationToken);
        var container = new PodContainer(env.Engine, created.ID, port);
        try
        {
            await env.Engine.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken);
            await container.WaitUntilServingAsync(cancellationToken);
            return container;
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    /// <summary>GET <paramref name="path"/>, the body.</summary>
    public Task<string> GetAsync(string path, CancellationToken cancellationToken) => _http.GetStringAsync(path, cancellationToken);

    /// <summary>The container's last 40 lines, stdout and stderr apart.</summary>
    public async Task<string> OutputAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var logs = await _docker.Containers.GetContainerLogsAsync(Id, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = "40" }, timeout.Token);
        var (stdout, stderr) = await logs.ReadOutputToEndAsync(timeout.Token);
        return $"stdout:\n{stdout}\nstderr:\n{stderr}";
    }

    private async Task WaitUntilServingAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                await _http.GetStringAsync("/", deadline.Token);
                return;
            }
            catch (HttpRequestException)
            {
                if ((await _docker.Containers.InspectContainerAsync(Id, cancellationToken)).State?.Running != true)
                {
                    throw new InvalidOperationException("the app's container exited:\n" + await OutputAsync(cancellationToken));
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException("the app's container did not answer GET / within 60 s:\n" + await OutputAsync(cancellationToken));
            }

            await Task.Delay(200, deadline.Token);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _docker.Containers.RemoveContainerAsync(Id, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
    }
}
