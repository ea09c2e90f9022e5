using System.Security.Cryptography;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Resources.Image;
using DevEnv.Hosting.Resources.Image.Pipeline;
using DevEnv.AppHost.Tests.Resources.Image;

namespace DevEnv.Rollout.Tests.Harness;

/// <summary>
/// The real SampleApi image, built by the product's own pipeline (<see cref="LayeredImageBuilder"/>, what the AppHost's
/// image resource runs: dotnet publish, layers by how often they change, content tag, upload of what the registry
/// lacks) into a test-owned registry container (the fixture registry image, on a free 127.0.0.1 port) on the fixture
/// base seeded there. Two versions: <see cref="Image"/> from a copy of the sources, and <see cref="ChangedImage"/>
/// after a one-line change in that copy, for a rollout from one to the other. The stand-in node pulls them itself
/// (<see cref="PullIfNotPresentAsync"/>). Everything carries this run's environment label and is removed on dispose.
/// </summary>
public sealed class SampleApiImage : IAsyncLifetime
{
    private readonly List<string> _tags = [];
    private readonly SemaphoreSlim _pullLock = new(1, 1);
    private SampleApiWorkspace? _source;
    private OciRegistryClient? _registry;
    private int _port;

    /// <summary>Unique environment name of this run: <c>t</c> + 8 hex characters.</summary>
    public string EnvironmentName { get; } = "t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>The label filter every object of this run carries.</summary>
    public string Label => $"{EnvironmentSettings.EnvironmentLabel}={EnvironmentName}";

    /// <summary>The process runner everything goes through.</summary>
    public IProcessRunner Runner { get; } = new ProcessRunner();

    /// <summary>docker CLI calls.</summary>
    public DockerCli Docker { get; }

    /// <summary>The first version, e.g. 127.0.0.1:41234/sampleapi:src-0123456789ab.</summary>
    public string Image { get; private set; } = "";

    /// <summary>The version after a one-line change.</summary>
    public string ChangedImage { get; private set; } = "";

    /// <summary>What the pipeline reported for the first version.</summary>
    public LayeredImage? First { get; private set; }

    /// <summary>What the pipeline reported for the changed version.</summary>
    public LayeredImage? Changed { get; private set; }

    /// <summary>The settings the Deployment is rendered with: the product's defaults, this run's name.</summary>
    public EnvironmentSettings Settings => new() { Name = EnvironmentName };

    /// <summary>Publish time of the first build (dotnet publish inside the pipeline).</summary>
    public TimeSpan PublishTime => First?.PublishTime ?? TimeSpan.Zero;

    /// <summary>Creates the fixture; the images are built in <see cref="InitializeAsync"/>.</summary>
    public SampleApiImage() => Docker = new DockerCli(Runner);

    /// <summary>The product's Deployment and Service for <paramref name="image"/> (default <see cref="Image"/>).</summary>
    public RenderedDeployment Render(string? image = null) => RenderedDeployment.For(image ?? Image, Settings);

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(12));
        var ct = deadline.Token;
        try
        {
            await BuildAsync(ct);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task BuildAsync(CancellationToken ct)
    {
        var registryImage = Env("DEVENV_REGISTRY_IMAGE", "devenv-fixture/registry:2.8.2");
        var baseImage = Env("DEVENV_FIXTURE_BASE_IMAGE", "devenv-fixture/runtime-deps:10.0");
        var registry = await Docker.RunAsync(["run", "-d", "--name", $"{EnvironmentName}-registry", "--label", Label, "-p", "127.0.0.1::5000", registryImage], ct);
        _port = await Docker.HostPortAsync(registry, 5000, ct);
        await WaitForRegistryAsync(_port, ct);
        _registry = new OciRegistryClient(new Uri($"http://127.0.0.1:{_port}"));

        // The base goes in as the image resource seeds it (BaseImageSeeder: the engine pushes it; 127.0.0.0/8 is plain HTTP to docker).
        var pushedBase = $"127.0.0.1:{_port}/runtime-deps:10.0";
        await Docker.RunAsync(["tag", baseImage, pushedBase], ct);
        await Docker.RunAsync(["push", "-q", pushedBase], ct);
        await Docker.RunAsync(["rmi", pushedBase], ct);

        _source = new SampleApiWorkspace();
        var builder = new LayeredImageBuilder(Runner, _registry, _source.ProjectFile, ImageBuildOptions.Default);
        First = await builder.BuildAsync(pushedBase, DeploymentResource.SampleApiName, ResourceLog.None, () => { }, ct);
        Image = $"127.0.0.1:{_port}/{DeploymentResource.SampleApiName}:{First.Tag}";
        _tags.Add(Image);
        // A one-line change: the root endpoint's text.
        _source.Edit(_source.HelloFile, "\"Hello, World!\"", $"\"Hello, World! {EnvironmentName}\"");
        Changed = await builder.BuildAsync(pushedBase, DeploymentResource.SampleApiName, ResourceLog.None, () => { }, ct);
        ChangedImage = $"127.0.0.1:{_port}/{DeploymentResource.SampleApiName}:{Changed.Tag}";
        _tags.Add(ChangedImage);
        if (Changed.Tag == First.Tag)
        {
            throw new InvalidOperationException($"the one-line change gave the same image {First.Tag}: the pipeline did not see it");
        }
    }

    /// <summary>The test registry (127.0.0.1:&lt;port&gt;), where a test may build images of its own with the product's pipeline.</summary>
    public IOciRegistryClient Registry => _registry ?? throw new InvalidOperationException("the registry is not running");

    /// <summary>The test registry's address as image references name it: 127.0.0.1:&lt;port&gt;.</summary>
    public string RegistryAddress => $"127.0.0.1:{_port}";

    /// <summary>
    /// Copies the engine's <paramref name="localImage"/> into the test registry as runtime-deps:<paramref name="tag"/> (as the
    /// image resource seeds a base) and returns its reference there.
    /// </summary>
    public async Task<string> SeedBaseAsync(string localImage, string tag, CancellationToken ct)
    {
        var pushed = $"{RegistryAddress}/runtime-deps:{tag}";
        await Docker.RunAsync(["tag", localImage, pushed], ct);
        await Docker.RunAsync(["push", "-q", pushed], ct);
        await Docker.RunAsync(["rmi", pushed], ct);
        return pushed;
    }

    /// <summary>Removes <paramref name="image"/> from the node when the fixture is disposed (an image a test built).</summary>
    public void Track(string image)
    {
        lock (_tags)
        {
            _tags.Add(image);
        }
    }

    /// <summary>Removes <paramref name="image"/> from the node (the engine), so the next pod start pulls it again.</summary>
    public async Task RemoveFromNodeAsync(string image, CancellationToken ct)
    {
        await _pullLock.WaitAsync(ct);
        try
        {
            await Runner.RunAsync(new ProcessSpec("docker", ["rmi", image]), ResourceLog.None, ct);
        }
        finally
        {
            _pullLock.Release();
        }
    }

    /// <summary>
    /// imagePullPolicy IfNotPresent, as the kubelet applies it on this node: null when the engine has the image, else
    /// the pull with the layers it fetched, read from the engine's own progress lines.
    /// </summary>
    public async Task<ImagePull?> PullIfNotPresentAsync(string image, CancellationToken ct)
    {
        await _pullLock.WaitAsync(ct);
        try
        {
            var present = await Runner.RunAsync(new ProcessSpec("docker", ["image", "inspect", "--format", "{{.Id}}", image]), ResourceLog.None, ct);
            if (present.ExitCode == 0) return null;
            var (repository, tag, _) = ImageReference.Split(image);
            repository = repository[(repository.IndexOf('/', StringComparison.Ordinal) + 1)..];
            var manifest = await _registry!.TryGetManifestAsync(repository, tag, ct)
                ?? throw new InvalidOperationException($"{image} is not in the test registry");
            var output = await Docker.RunAsync(["pull", image], ct);
            return Parse(image, output, manifest, await ManifestBytesAsync(repository, tag, ct));
        }
        finally
        {
            _pullLock.Release();
        }
    }

    // docker pull prints "<first 12 hex of the layer digest>: Pull complete" or ": Already exists" per layer.
    private static ImagePull Parse(string image, string output, OciManifest manifest, long manifestBytes)
    {
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        List<KeyValuePair<string, long>> fetched = [];
        List<string> present = [];
        foreach (var layer in manifest.Layers)
        {
            var shortId = layer.Digest["sha256:".Length..][..12];
            if (lines.Contains($"{shortId}: Pull complete")) fetched.Add(new(layer.Digest, layer.Size));
            else if (lines.Contains($"{shortId}: Already exists")) present.Add(layer.Digest);
            else throw new InvalidOperationException($"docker pull {image} said nothing about layer {layer.Digest}:\n{output}");
        }
        return new ImagePull(image, fetched, present, manifest.Config.Size, manifestBytes, manifest.CompressedSize);
    }

    private async Task<long> ManifestBytesAsync(string repository, string tag, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{_port}/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsByteArrayAsync(ct)).LongLength;
    }

    private static string Env(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;

    private static async Task WaitForRegistryAsync(int port, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/v2/", ct);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { /* slow start */ }
            await Task.Delay(100, ct);
        }
        throw new TimeoutException($"registry on 127.0.0.1:{port} did not answer /v2/ within 10 s");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await Docker.RemoveContainersByLabelAsync(Label, deadline.Token);
        foreach (var tag in _tags)
        {
            await Runner.RunAsync(new ProcessSpec("docker", ["rmi", tag]), ResourceLog.None, deadline.Token);
        }
        _source?.Dispose();
        _registry?.Dispose();
    }
}
