using DevEnv.AppHost.Resources.Image;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Resources.Registry;

namespace DevEnv.AppHost.Tests.Resources.Image;

/// <summary>Which base the publish reads: as configured, or a copy seeded into our registry from the local Docker Engine.</summary>
public sealed class BaseImageResolverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("mcr.microsoft.com/dotnet/runtime-deps:10.0", "mcr.microsoft.com")]
    [InlineData("devenv-fixture/runtime-deps:10.0", "registry-1.docker.io")]
    [InlineData("ubuntu", "registry-1.docker.io")]
    [InlineData("localhost:5001/runtime-deps:10.0", "localhost:5001")]
    public void Finds_the_registry_host_of_a_reference(string image, string host) => Assert.Equal(host, BaseImageResolver.RegistryHost(image));

    [Fact]
    public async Task Seeds_a_local_only_base_once_and_keeps_reachable_or_absent_bases_as_configured()
    {
        await using var h = new RegistryTestHarness();
        await h.Registry.StartAsync(h.Context, Ct);
        var log = h.Logs.For(h.Registry.Name);
        var fixture = DockerTestEnvironment.FixtureBaseImage;
        var askedRemote = 0;
        var unreachable = new BaseImageResolver(h.Env.Docker, h.Settings, h.Registry.Oci, (_, _) => { askedRemote++; return Task.FromResult(false); });

        // Unreachable remote, local daemon has it: copied into our registry and read from there.
        var seeded = await unreachable.ResolveAsync(fixture, log, Ct);
        var name = fixture.Split('/')[^1].Split(':')[0];
        Assert.Equal($"{h.Settings.RegistryHostAddress}/{name}:10.0", seeded);
        Assert.NotNull(await h.Registry.Oci.TryGetManifestAsync(name, "10.0", Ct));
        Assert.Contains(h.Logs.GetBacklog(h.Registry.Name), l => l.Text.Contains("seeded it into our registry", StringComparison.Ordinal));

        // Second build in the same process: no second remote check, no second push.
        Assert.Equal(seeded, await unreachable.ResolveAsync(fixture, log, Ct));
        Assert.Equal(1, askedRemote);
        Assert.Contains(h.Logs.GetBacklog(h.Registry.Name), l => l.Text.Contains("copy already in our registry", StringComparison.Ordinal));

        // A base already on our registry is used as it is, without asking anyone.
        Assert.Equal(seeded, await new BaseImageResolver(h.Env.Docker, h.Settings, h.Registry.Oci, (_, _) => throw new InvalidOperationException("asked")).ResolveAsync(seeded, log, Ct));

        // Reachable remote: the SDK pulls it itself.
        var reachable = new BaseImageResolver(h.Env.Docker, h.Settings, h.Registry.Oci, (_, _) => Task.FromResult(true));
        Assert.Equal(fixture, await reachable.ResolveAsync(fixture, log, Ct));

        // Neither reachable nor local: left as configured, so the publish reports the real error.
        var missing = "devenv-fixture/not-here-" + h.Env.Name + ":1";
        Assert.Equal(missing, await new BaseImageResolver(h.Env.Docker, h.Settings, h.Registry.Oci, (_, _) => Task.FromResult(false)).ResolveAsync(missing, log, Ct));
    }
}
