using System.Net.Sockets;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Resources.Registry;
using DevEnv.AppHost.Tests.Support;
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Resources.Cluster;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Resources.Image;
using DevEnv.Hosting.Resources.Registry;
using Docker.DotNet.Models;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace DevEnv.AppHost.Tests.Resources.Image;

/// <summary>
/// A container resource's image reaches kind's nodes through our registry when the local Docker Engine has it; and
/// the pod DevEnv renders for Aspire's AddRedis runs: the fixture Redis (Debian's redis-server, built FROM scratch)
/// copied into a real registry, run with the rendered command, arguments and Secret, answers only with its password.
/// </summary>
public sealed class EngineImageMirrorTests
{
    private const string RedisFixture = "devenv-fixture/redis:7.0";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("redis:8.6", "library/redis")]
    [InlineData("docker.io/library/redis:8.6", "library/redis")]
    [InlineData("devenv-fixture/redis:7.0", "devenv-fixture/redis")]
    [InlineData("ghcr.io/team/orders-db:1", "team/orders-db")]
    [InlineData("localhost:5001/cache:1", "cache")]
    public void The_copy_keeps_the_images_own_path(string image, string path) => Assert.Equal(path, EngineImageMirror.PathOf(image));

    [Fact]
    public async Task An_engine_image_is_copied_once_by_id_one_it_lacks_is_left_to_the_nodes_and_the_rendered_redis_pod_runs_from_the_copy()
    {
        await using var h = new RegistryTestHarness();
        await h.StartRegistryAsync(Ct);
        var log = h.Logs.For("cache-deployment");
        var mirror = new EngineImageMirror(h.Env.Engine, h.Settings, h.Registry.Oci);
        var id = (await h.Env.Engine.Images.InspectImageAsync(RedisFixture, Ct)).ID;

        var copy = await mirror.ResolveAsync(RedisFixture, log, Ct);

        var tag = BaseImageResolver.SeedTag(RedisFixture, id);
        Assert.Equal($"{h.Settings.RegistryHostAddress}/devenv-fixture/redis:{tag}", copy);
        Assert.Equal(id, (await h.Registry.Oci.TryGetManifestAsync("devenv-fixture/redis", tag, Ct))!.Config.Digest);
        Assert.Equal(copy, await mirror.ResolveAsync(RedisFixture, log, Ct));
        Assert.Single(h.Logs.GetBacklog("cache-deployment"), l => l.Text.Contains("copied from the local Docker Engine into our registry", StringComparison.Ordinal));
        Assert.Equal("team/not-on-this-machine:1", await mirror.ResolveAsync("team/not-on-this-machine:1", log, Ct));
        Assert.Contains(h.Logs.GetBacklog("cache-deployment"), l => l.Text.Contains("the cluster's nodes pull it from registry-1.docker.io", StringComparison.Ordinal));

        // The pod spec DevEnv renders for AddRedis (command, arguments, password from the Secret), run on the copy.
        var pod = await RenderedRedisAsync(h, copy);
        var password = pod.Secret.StringData["REDIS_PASSWORD"];
        var env = pod.Container.Env.Select(e => $"{e.Name}={(e.ValueFrom?.SecretKeyRef is { } key ? pod.Secret.StringData[key.Key] : e.Value)}").ToList();
        // Pulled from our registry, as a node pulls it (the engine treats 127.0.0.1 registries as plain HTTP).
        var pulled = $"127.0.0.1:{h.Settings.RegistryPort}/devenv-fixture/redis";
        await h.Env.Engine.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = pulled, Tag = tag }, null, new Progress<JSONMessage>(), Ct);
        await using var untag = new AsyncCleanup(() => h.Env.Engine.Images.DeleteImageAsync($"{pulled}:{tag}", new ImageDeleteParameters { Force = true }, CancellationToken.None));
        var created = await h.Env.Engine.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = h.Env.Name + "-redis",
            Image = $"{pulled}:{tag}",
            Entrypoint = pod.Container.Command,
            Cmd = pod.Container.Args,
            Env = env,
            Labels = new Dictionary<string, string>(h.Env.Labels),
            ExposedPorts = new Dictionary<string, EmptyStruct> { ["6379/tcp"] = default },
            HostConfig = new HostConfig
            {
                ReadonlyRootfs = true,
                Tmpfs = new Dictionary<string, string> { ["/data"] = "rw,size=16m" },
                PortBindings = new Dictionary<string, IList<PortBinding>> { ["6379/tcp"] = [new PortBinding { HostIP = "127.0.0.1", HostPort = "0" }] },
            },
        }, Ct);
        await h.Env.Engine.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), Ct);
        var port = int.Parse((await h.Env.Engine.Containers.InspectContainerAsync(created.ID, Ct)).NetworkSettings!.Ports!["6379/tcp"]![0].HostPort, System.Globalization.CultureInfo.InvariantCulture);

        Assert.StartsWith("-NOAUTH", await RedisAsync(port, "PING"), StringComparison.Ordinal);
        Assert.Equal("+PONG", await RedisAsync(port, "AUTH", password!, "PING"));
    }

    // The cache's Deployment container and its Secret (with the values, as `up` applies them) from an app model with AddRedis.
    private static async Task<(V1Container Container, V1Secret Secret)> RenderedRedisAsync(RegistryTestHarness h, string image)
    {
        var builder = DevEnvApplication.CreateBuilder(["manifests", $"--DEVENV_NAME={h.Env.Name}", $"--DEVENV_REGISTRY_PORT={h.Settings.RegistryPort}"]);
        var registry = builder.AddLocalRegistry("registry");
        builder.AddKindCluster("cluster").WithRegistry(registry);
        builder.AddRedis("cache").WithImage("devenv-fixture/redis", "7.0");
        using var app = builder.Build();
        DevEnvApplication.ExpandModel(app);
        var deployment = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<KubernetesDeploymentResource>().Single(r => r.Name == "cache-deployment");
        var objects = await ((DeploymentResource)deployment.Reconciler).ObjectsAsync(withSecretValues: true, Ct, image);
        var container = objects.OfType<V1Deployment>().Single().Spec.Template.Spec.Containers.Single();
        Assert.Equal(image, container.Image);
        return (container, objects.OfType<V1Secret>().Single());
    }

    // One RESP exchange per command on one connection; returns the last reply's first line (retried, up to 20 s, while Redis starts).
    private static async Task<string> RedisAsync(int port, params string[] commandAndArguments)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, Ct);
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                var commands = commandAndArguments[0] == "AUTH" ? new[] { new[] { "AUTH", commandAndArguments[1] }, commandAndArguments[2..] } : [commandAndArguments];
                var reply = "";
                foreach (var command in commands)
                {
                    var request = $"*{command.Length}\r\n" + string.Concat(command.Select(c => $"${Encoding.UTF8.GetByteCount(c)}\r\n{c}\r\n"));
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(request), Ct);
                    // No line at all: the engine's port proxy accepted, but Redis does not listen yet (it closes at once).
                    reply = await reader.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct)
                        ?? throw new IOException("connection closed before Redis answered");
                }

                return reply;
            }
            catch (Exception ex) when (ex is SocketException or IOException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, Ct);
            }
        }
    }
}
