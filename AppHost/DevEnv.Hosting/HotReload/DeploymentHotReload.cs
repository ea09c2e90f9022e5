using System.Globalization;
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Resources.Image;

namespace DevEnv.Hosting.HotReload;

/// <summary>
/// Hot Reload for one project's deployment while <c>up</c> watches: dotnet-watch builds the project (<see cref="HotReloadLoop"/>),
/// each of its builds becomes an image with the SDK's agent in it (<see cref="ImageBuildOptions.HotReload"/>) that is rolled
/// out with the pods' Hot Reload variables (<see cref="PodHotReloadEnvironment"/>), and every save after that goes into the
/// running pods. A rude edit, a pod that refuses an update or a runtime that cannot carry one gets a new build, rolled out
/// as any rebuild is; so is a fold of the saves into the image a while after the last one. The deployment resource shows the last save → serving figure; each save is a span of the AppHost's.
/// </summary>
public sealed class DeploymentHotReload : IAsyncDisposable
{
    /// <summary>The deployment resource's property with the last save's figure.</summary>
    public const string SaveToServingProperty = "save → serving";

    private readonly ProjectPipeline _pipeline;
    private readonly PodUpdateChannel _channel;
    private readonly PodHotReloadEnvironment _environment;
    private readonly string _runtimeIdentifier;
    private readonly CancellationToken _lifetime;
    private readonly Action<string> _log;
    private readonly HotReloadLoop _loop;

    /// <summary>
    /// Hot Reload of <paramref name="pipeline"/>'s project for <paramref name="runtimeIdentifier"/>, through <paramref name="channel"/>;
    /// the saves are folded into the image <paramref name="foldAfter"/> after the last one (zero: never).
    /// </summary>
    public DeploymentHotReload(ProjectPipeline pipeline, PodUpdateChannel channel, PodHotReloadEnvironment environment, string runtimeIdentifier,
        string stateDirectory, TimeSpan foldAfter, CancellationToken lifetime, Action<string> log)
    {
        _pipeline = pipeline;
        _channel = channel;
        _environment = environment;
        _runtimeIdentifier = runtimeIdentifier;
        _lifetime = lifetime;
        _log = log;
        _loop = new HotReloadLoop(Workload, pipeline.Image.Image.ProjectFile, runtimeIdentifier, stateDirectory, channel, DeployBuildAsync, log)
        {
            FoldAfter = foldAfter > TimeSpan.Zero ? foldAfter : Timeout.InfiniteTimeSpan,
        };
        _loop.Applied += OnApplied;
        _channel.RuntimeRudeEdit += OnRuntimeRudeEdit;
    }

    /// <summary>The workload's name (its Deployment's).</summary>
    public string Workload => _pipeline.Deployment.Deployment.WorkloadName;

    /// <summary>The last save carried into the pods.</summary>
    public HotReloadOutcome? Last => _loop.Last;

    /// <summary>Starts dotnet-watch; its first build is rolled out, then saves go into the pods.</summary>
    public void Start()
    {
        _pipeline.Deployment.Deployment.HotReload = _environment;
        _loop.Start();
    }

    // One of dotnet-watch's builds (the first, or the one after a rude edit): its image, rolled out; the tag the pods run.
    private async Task<string> DeployBuildAsync(WatchBaseline baseline, CancellationToken cancellationToken)
    {
        string? tag = null;
        var result = await _pipeline.RebuildAndDeployAsync(cancellationToken, _lifetime, ImageBuildOptions.HotReload(_runtimeIdentifier), build =>
        {
            _environment.AddAgentImage(build.Tag);
            tag = build.Tag;
        }).ConfigureAwait(false);
        if (!result.Success || tag is null)
        {
            _log($"Hot Reload: the image of dotnet watch's build {baseline.Iteration} did not roll out: {result.Message.Split('\n')[0]}; the last good version keeps serving");
            throw new InvalidOperationException(result.Message);
        }

        _log($"Hot Reload: {Workload} runs dotnet watch's build {baseline.Iteration} ({tag}); saves now go into its pods");
        return tag;
    }

    private void OnApplied(HotReloadOutcome outcome)
    {
        DevEnvTelemetry.RecordHotReload(_pipeline.Deployment.Name, outcome);
        _pipeline.Deployment.Context?.SetProperty(SaveToServingProperty,
            string.Create(CultureInfo.InvariantCulture, $"{outcome.SaveToApplied.TotalSeconds:0.0} s, applied in {outcome.Applied}/{outcome.Pods} pod(s) (Hot Reload)"));
    }

    private void OnRuntimeRudeEdit(string workload, string message)
    {
        if (workload == Workload)
        {
            _ = _loop.RebuildAsync($"a pod's runtime could not carry the change ({message.Split('\n')[0]})");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _channel.RuntimeRudeEdit -= OnRuntimeRudeEdit;
        await _loop.DisposeAsync().ConfigureAwait(false);
    }
}
