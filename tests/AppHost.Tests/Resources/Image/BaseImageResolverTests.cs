using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Resources.Image;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Clients.Oci.Remote;
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

    [Theory]
    [InlineData("devenv-fixture/runtime-deps:10.0", "sha256:fb9ae246b4f4aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "10.0-fb9ae246b4f4")]
    [InlineData("mcr.microsoft.com/dotnet/runtime-deps:10.0", "sha256:0123456789abbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "10.0-0123456789ab")]
    [InlineData("mcr.microsoft.com/dotnet/runtime-deps@sha256:1111", "sha256:99999999999900000000000000000000000000000000000000000000000000000", "pinned-999999999999")]
    public void The_seeded_copy_is_keyed_by_the_local_image_id(string reference, string id, string tag) => Assert.Equal(tag, BaseImageResolver.SeedTag(reference, id));

    [Theory]
    [InlineData("127.0.0.1:5000/team/runtime-deps:10.0@sha256:abcd", "127.0.0.1:5000/team/runtime-deps", "sha256:abcd")]
    [InlineData("runtime-deps:10.0@sha256:abcd", "runtime-deps", "sha256:abcd")]
    [InlineData("127.0.0.1:5000/runtime-deps@sha256:abcd", "127.0.0.1:5000/runtime-deps", "sha256:abcd")]
    public void A_reference_with_a_tag_and_a_digest_is_the_repository_and_the_digest(string image, string repository, string digest) =>
        Assert.Equal((repository, digest, true), ImageReference.Split(image));

    [Fact]
    public async Task A_base_written_name_tag_at_digest_is_pulled_by_its_digest_and_seeded()
    {
        await using var h = new RegistryTestHarness();
        await h.StartRegistryAsync(Ct);
        await using var origin = await SecureRegistry.StartPlainAsync(Ct);
        var fixture = DockerTestEnvironment.FixtureBaseImage;
        var id = (await h.Env.Engine.Images.InspectImageAsync(fixture, Ct)).ID;

        // The base's own registry (another real registry on 127.0.0.1) gets the fixture, so the engine knows its digest there.
        var repository = $"127.0.0.1:{origin.Port}/runtime-deps";
        await h.Env.Engine.Images.TagImageAsync(fixture, new() { RepositoryName = repository, Tag = "10.0" }, Ct);
        await h.Env.Engine.Images.PushImageAsync(repository, "10.0", Ct);
        var digest = (await h.Env.Engine.Images.InspectImageAsync(fixture, Ct)).RepoDigests.Single(d => d.StartsWith(repository + "@", StringComparison.Ordinal)).Split('@')[1];
        await h.Env.Engine.Images.DeleteImageAsync($"{repository}:10.0", new(), Ct);
        try
        {
            var baseImage = $"{repository}:10.0@{digest}";
            var asked = new List<string>();
            var resolver = new BaseImageResolver(h.Env.Engine, h.Settings, h.Registry.Oci, (host, _) => { asked.Add(host); return Task.FromResult(true); });

            var seeded = await resolver.ResolveAsync(baseImage, h.Logs.For(h.Registry.Name), Ct);

            // Known as having come from its registry (so re-pulled there by digest), copied as runtime-deps:pinned-<id>.
            Assert.Equal([$"127.0.0.1:{origin.Port}"], asked);
            Assert.Equal($"{h.Settings.RegistryHostAddress}/runtime-deps:{BaseImageResolver.SeedTag(baseImage, id)}", seeded);
            Assert.StartsWith("pinned-", BaseImageResolver.SeedTag(baseImage, id), StringComparison.Ordinal);
            var copy = await h.Registry.Oci.TryGetManifestAsync("runtime-deps", BaseImageResolver.SeedTag(baseImage, id), Ct);
            Assert.Equal(id, copy!.Config.Digest);
        }
        finally
        {
            await h.Env.Engine.Images.DeleteImageAsync($"{repository}@{digest}", new(), CancellationToken.None);
        }
    }

    [Fact]
    public async Task Seeds_a_local_only_base_once_by_image_id_keeps_bases_in_our_registry_and_fails_with_one_line_for_a_base_it_cannot_get()
    {
        await using var h = new RegistryTestHarness();
        await h.StartRegistryAsync(Ct);
        var log = h.Logs.For(h.Registry.Name);
        var fixture = DockerTestEnvironment.FixtureBaseImage;
        var askedRemote = 0;
        var reachable = new BaseImageResolver(h.Env.Engine, h.Settings, h.Registry.Oci, (_, _) => { askedRemote++; return Task.FromResult(true); });
        var id = (await h.Env.Engine.Images.InspectImageAsync(fixture, Ct)).ID;

        // Built on this machine (no registry digest): copied into our registry under its image ID and read from there,
        // without asking its registry (which cannot have it).
        var seeded = await reachable.ResolveAsync(fixture, log, Ct);
        var name = fixture.Split('/')[^1].Split(':')[0];
        Assert.Equal($"{h.Settings.RegistryHostAddress}/{name}:{BaseImageResolver.SeedTag(fixture, id)}", seeded);
        var copy = await h.Registry.Oci.TryGetManifestAsync(name, BaseImageResolver.SeedTag(fixture, id), Ct);
        Assert.Equal(id, copy!.Config.Digest); // the very image the engine has
        Assert.Single(h.Logs.GetBacklog(h.Registry.Name), l => l.Text.Contains("copied from the local Docker Engine into our registry", StringComparison.Ordinal));

        // Second build in the same process: no second push.
        Assert.Equal(seeded, await reachable.ResolveAsync(fixture, log, Ct));
        Assert.Equal(0, askedRemote);
        Assert.Single(h.Logs.GetBacklog(h.Registry.Name), l => l.Text.Contains("copied from the local Docker Engine", StringComparison.Ordinal));

        // A base already on our registry is used as it is, without asking anyone.
        Assert.Equal(seeded, await new BaseImageResolver(h.Env.Engine, h.Settings, h.Registry.Oci, (_, _) => throw new InvalidOperationException("asked")).ResolveAsync(seeded, log, Ct));

        // Neither reachable nor local: one line naming the image, the host and what to do.
        var missing = "devenv-fixture/not-here-" + h.Env.Name + ":1";
        var ex = await Assert.ThrowsAsync<ImageBuildFailedException>(() => new BaseImageResolver(h.Env.Engine, h.Settings, h.Registry.Oci, (_, _) => Task.FromResult(false)).ResolveAsync(missing, log, Ct));
        Assert.Equal(BaseImageResolver.Unavailable(missing, "registry-1.docker.io", "registry-1.docker.io cannot be reached").Message, ex.Message);
    }
}
