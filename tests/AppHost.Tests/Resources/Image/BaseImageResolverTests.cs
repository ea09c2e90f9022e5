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

    [Theory]
    [InlineData("ubuntu:24.04", "ubuntu@sha256:1111", true)]
    [InlineData("docker.io/library/ubuntu:24.04", "ubuntu@sha256:1111", true)]
    [InlineData("mcr.microsoft.com/dotnet/runtime-deps:10.0", "mcr.microsoft.com/dotnet/runtime-deps@sha256:2222", true)]
    [InlineData("myteam/base:1", "localhost:5001/base@sha256:3333", false)]
    [InlineData("myteam/base:1", null, false)]
    public void An_image_came_from_its_registry_only_with_a_digest_under_its_own_name(string reference, string? digest, bool expected) =>
        Assert.Equal(expected, BaseImageResolver.CameFromItsRegistry(new() { RepoDigests = digest is null ? [] : [digest] }, reference));

    [Fact]
    public async Task Seeds_a_local_only_base_once_and_keeps_reachable_or_absent_bases_as_configured()
    {
        await using var h = new RegistryTestHarness();
        await h.StartRegistryAsync(Ct);
        var log = h.Logs.For(h.Registry.Name);
        var fixture = DockerTestEnvironment.FixtureBaseImage;
        var askedRemote = 0;
        var reachable = new BaseImageResolver(h.Env.Docker, h.Settings, h.Registry.Oci, (_, _) => { askedRemote++; return Task.FromResult(true); });

        // Built on this machine (no registry digest): copied into our registry and read from there, even though
        // its registry answers, and without asking it.
        var seeded = await reachable.ResolveAsync(fixture, log, Ct);
        var name = fixture.Split('/')[^1].Split(':')[0];
        Assert.Equal($"{h.Settings.RegistryHostAddress}/{name}:10.0", seeded);
        Assert.NotNull(await h.Registry.Oci.TryGetManifestAsync(name, "10.0", Ct));
        Assert.Contains(h.Logs.GetBacklog(h.Registry.Name), l => l.Text.Contains("seeded it into our registry", StringComparison.Ordinal));

        Assert.Contains(h.Logs.GetBacklog(h.Registry.Name), l => l.Text.Contains("it was built on this machine", StringComparison.Ordinal));

        // Second build in the same process: no second push.
        Assert.Equal(seeded, await reachable.ResolveAsync(fixture, log, Ct));
        Assert.Equal(0, askedRemote);
        Assert.Contains(h.Logs.GetBacklog(h.Registry.Name), l => l.Text.Contains("copy already in our registry", StringComparison.Ordinal));

        // A base already on our registry is used as it is, without asking anyone.
        Assert.Equal(seeded, await new BaseImageResolver(h.Env.Docker, h.Settings, h.Registry.Oci, (_, _) => throw new InvalidOperationException("asked")).ResolveAsync(seeded, log, Ct));

        // Neither reachable nor local: left as configured, so the publish reports the real error.
        var missing = "devenv-fixture/not-here-" + h.Env.Name + ":1";
        Assert.Equal(missing, await new BaseImageResolver(h.Env.Docker, h.Settings, h.Registry.Oci, (_, _) => Task.FromResult(false)).ResolveAsync(missing, log, Ct));
    }
}
