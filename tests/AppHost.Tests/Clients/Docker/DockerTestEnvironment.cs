using System.Net;
using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Configuration;
using Docker.DotNet.Models;
using Docker.DotNet;

namespace DevEnv.AppHost.Tests.Clients.Docker;

/// <summary>
/// A unique environment name and label for one test, the fixture images, and clean-up by label of every
/// container, volume and network the test created (also when it failed). Shared by the Docker, registry and image tests.
/// </summary>
public sealed class DockerTestEnvironment : IAsyncDisposable
{
    /// <summary>The registry image tests run (the FROM-scratch fixture on machines that cannot pull).</summary>
    public static string RegistryImage => Environment.GetEnvironmentVariable("DEVENV_REGISTRY_IMAGE") ?? "devenv-fixture/registry:2.8.2";

    /// <summary>The runtime-deps stand-in tests push into their registry as a base image.</summary>
    public static string FixtureBaseImage => Environment.GetEnvironmentVariable("DEVENV_FIXTURE_BASE_IMAGE") ?? "devenv-fixture/runtime-deps:10.0";

    /// <summary>The linux/arm64 runtime-deps stand-in (scripts/fixtures/build-images.sh builds it from Debian's arm64 packages).</summary>
    public static string FixtureArm64BaseImage => Environment.GetEnvironmentVariable("DEVENV_FIXTURE_ARM64_BASE_IMAGE") ?? "devenv-fixture/runtime-deps:10.0-arm64";

    /// <summary>
    /// Creates a client on the resolved endpoint and a fresh name such as t1a2b3c4d, or <paramref name="name"/> when a
    /// test already has its environment name (resource tests whose settings carry it).
    /// </summary>
    public DockerTestEnvironment(string? name = null)
    {
        Name = name ?? "t" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..8];
        Engine = DockerEngine.Connect();
    }

    /// <summary>The environment name (also the label value).</summary>
    public string Name { get; }

    /// <summary>The label filter matching everything this test created.</summary>
    public string LabelFilter => $"{EnvironmentSettings.EnvironmentLabel}={Name}";

    /// <summary>Labels to put on what the test creates directly.</summary>
    public IReadOnlyDictionary<string, string> Labels => new Dictionary<string, string> { [EnvironmentSettings.EnvironmentLabel] = Name };

    /// <summary>The real engine through Docker.DotNet, as the product reaches it.</summary>
    public IDockerClient Engine { get; }

    /// <summary>
    /// A labelled container from the registry fixture image (no shell, non-root, tiny), started unless asked not to:
    /// something real to inspect, start, write files into and connect to networks.
    /// </summary>
    public async Task<string> CreateContainerAsync(string name, bool start, CancellationToken cancellationToken)
    {
        var created = await Engine.Containers.CreateContainerAsync(new CreateContainerParameters { Name = name, Image = RegistryImage, Labels = new Dictionary<string, string>(Labels) },
            cancellationToken);
        if (start)
        {
            await Engine.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken);
        }

        return created.ID;
    }

    /// <summary>A bridge network (what kind makes) with <paramref name="labels"/>; with this test's label it goes at clean-up.</summary>
    public Task CreateNetworkAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        Engine.Networks.CreateNetworkAsync(new NetworksCreateParameters { Name = name, Driver = "bridge", Labels = new Dictionary<string, string>(labels) },
            cancellationToken);

    /// <summary>The network, or null when there is none of that name.</summary>
    public async Task<NetworkResponse?> TryInspectNetworkAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await Engine.Networks.InspectNetworkAsync(name, cancellationToken);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Containers carrying this test's label, running or not.</summary>
    public async Task<IList<ContainerListResponse>> LabelledContainersAsync(CancellationToken cancellationToken) =>
        await Engine.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = LabelFilters.Matching(LabelFilter) }, cancellationToken);

    /// <summary>Volumes carrying this test's label.</summary>
    public async Task<IList<VolumeResponse>> LabelledVolumesAsync(CancellationToken cancellationToken) =>
        (await Engine.Volumes.ListAsync(new VolumesListParameters { Filters = LabelFilters.Matching(LabelFilter) }, cancellationToken)).Volumes ?? [];

    /// <summary>Removes containers, then networks, then volumes carrying this test's label.</summary>
    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        foreach (var c in await LabelledContainersAsync(cts.Token))
        {
            await Engine.Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cts.Token);
        }

        foreach (var n in await Engine.Networks.ListNetworksAsync(new NetworksListParameters { Filters = LabelFilters.Matching(LabelFilter) }, cts.Token))
        {
            await Engine.Networks.DeleteNetworkAsync(n.ID, cts.Token);
        }

        foreach (var v in await LabelledVolumesAsync(cts.Token))
        {
            await Engine.Volumes.RemoveAsync(v.Name, force: true, cts.Token);
        }

        Engine.Dispose();
    }
}
