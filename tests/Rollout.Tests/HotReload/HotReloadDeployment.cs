using System.Collections.Concurrent;
using System.Net;
using DevEnv.AppHost.Tests.HotReload;
using DevEnv.AppHost.Tests.Resources.Image;
using DevEnv.Hosting.HotReload;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Image;
using DevEnv.Hosting.Resources.Image.Pipeline;
using DevEnv.Rollout.Tests.Harness;

namespace DevEnv.Rollout.Tests.HotReload;

/// <summary>
/// TEST-ONLY: the AppHost's part of Hot Reload (<see cref="DeploymentHotReload"/>) against the stand-in cluster. The
/// product's pieces do the work: dotnet-watch on a copy of SampleApi (<see cref="HotReloadLoop"/>), the product's
/// pipeline for the image of each of its builds (<see cref="ImageBuildOptions.HotReload"/>: the agent inside), the
/// product's rendered Deployment with the pods' Hot Reload variables (the key from its Secret), the channel on the
/// bridge network's gateway (where the containers reach this host and nothing else does). This class only rolls each
/// build out on the stand-in, as the deployment resource does in a cluster.
/// </summary>
public sealed class HotReloadDeployment : IAsyncDisposable
{
    private readonly SampleApiImage _image;
    private readonly ChannelKey _key = ChannelKey.CreateEphemeral();
    private readonly ConcurrentQueue<string> _deployed = new();
    private PodUpdateChannel? _channel;
    private PodHotReloadEnvironment? _environment;
    private LayeredImageBuilder? _builder;
    private string _base = "";
    private HotReloadLoop? _loop;
    private StandInCluster? _cluster;
    private TimeSpan _foldAfter;

    private HotReloadDeployment(SampleApiImage image) => _image = image;

    /// <summary>The copy of SampleApi dotnet-watch builds.</summary>
    public SampleApiWorkspace Workspace { get; } = new();

    /// <summary>The channel's and the loop's lines, and this class's, each with the time it was written.</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    private void Write(string line) => Log.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");

    /// <summary>The channel the pods dial.</summary>
    public PodUpdateChannel Channel => _channel!;

    /// <summary>The channel's key.</summary>
    public ChannelKey Key => _key;

    /// <summary>The images rolled out so far, first to last.</summary>
    public IReadOnlyList<string> Deployed => [.. _deployed];

    /// <summary>The stand-in cluster, once dotnet-watch's first build runs there.</summary>
    public StandInCluster Cluster => _cluster ?? throw new InvalidOperationException("dotnet watch's first build has not rolled out yet");

    /// <summary>The loop (its last outcome).</summary>
    public HotReloadLoop Loop => _loop!;

    /// <summary>
    /// Starts dotnet-watch and waits until its first build runs in three agent-connected replicas; the saves are folded
    /// into the image <paramref name="foldAfter"/> after the last one (null: never).
    /// </summary>
    public static async Task<HotReloadDeployment> StartAsync(SampleApiImage image, CancellationToken cancellationToken, TimeSpan? foldAfter = null)
    {
        var deployment = new HotReloadDeployment(image) { _foldAfter = foldAfter ?? Timeout.InfiniteTimeSpan };
        try
        {
            await deployment.StartAsync(cancellationToken);
            return deployment;
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        _base = await _image.SeedBaseAsync(Environment.GetEnvironmentVariable("DEVENV_FIXTURE_OPENSSL_BASE_IMAGE") is { Length: > 0 } b ? b : "devenv-fixture/runtime-deps:10.0-openssl", "10.0-openssl", cancellationToken);
        var gateway = IPAddress.Parse((await _image.Docker.RunAsync(["network", "inspect", "bridge", "-f", "{{range .IPAM.Config}}{{.Gateway}}{{end}}"], cancellationToken)).Trim());
        _channel = new PodUpdateChannel(new IPEndPoint(gateway, 0), _key, Write);
        _channel.Start();
        _environment = new PodHotReloadEnvironment(_channel, _key);
        _builder = new LayeredImageBuilder(_image.Runner, _image.Registry, Workspace.ProjectFile, ImageBuildOptions.HotReload("linux-x64"));
        _loop = new HotReloadLoop("sampleapi", Workspace.ProjectFile, "linux-x64", Path.Combine(Workspace.Root, ".hotreload"), _channel, DeployBuildAsync, Write)
        {
            FoldAfter = _foldAfter,
        };
        _loop.Start();
        await HotReloadWait.UntilAsync(() => !_deployed.IsEmpty, "dotnet watch's first build deployed", Log);
        await HotReloadWait.UntilAsync(() => _channel.Agents("sampleapi").Count == Cluster.Deployment.Current.Count, "every replica's agent connected", Log);
    }

    // What the deployment resource does with each of dotnet-watch's builds: its image with the agent, rolled out as rendered.
    private async Task<string> DeployBuildAsync(WatchBaseline baseline, CancellationToken cancellationToken)
    {
        var built = await _builder!.BuildAsync(_base, "sampleapi", ResourceLog.None, () => { }, cancellationToken);
        var reference = $"{_image.RegistryAddress}/sampleapi:{built.Tag}";
        Write($"image of build {baseline.Iteration}: publish {built.PublishTime.TotalSeconds:0.0} s, layers and push {built.PushTime.TotalSeconds:0.0} s; rolling out");
        _image.Track(reference);
        _environment!.AddAgentImage(built.Tag);
        var options = RenderedDeployment.For(reference, _image.Settings, _environment).ToOptions();
        if (_cluster is null)
        {
            _cluster = await StandInCluster.StartAsync(_image, options, cancellationToken);
        }
        else
        {
            await _cluster.Deployment.RollingUpdateAsync(options, cancellationToken);
        }

        Write($"deployed dotnet watch's build {baseline.Iteration} as {reference}");
        _deployed.Enqueue(reference);
        return built.Tag;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_loop is not null)
        {
            await _loop.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }

        _key.Dispose();
        Workspace.Dispose();
    }
}
