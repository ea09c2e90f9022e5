using DevEnv.Hosting.Application;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Image;

namespace DevEnv.Hosting.Resources.Deployment;

/// <summary>
/// One project's way from sources to pods: build the image, then roll the deployment out to it. A newer change may
/// cancel the build (<c>buildToken</c>), never a rollout that has begun (it runs on the AppHost's lifetime), so the
/// cluster never sees half an update.
/// </summary>
/// <param name="image">The project's image resource.</param>
/// <param name="deployment">The project's deployment resource.</param>
public sealed class ProjectPipeline(ContainerImageResource image, KubernetesDeploymentResource deployment)
{
    /// <summary>The project's image resource.</summary>
    public ContainerImageResource Image { get; } = image;

    /// <summary>The project's deployment resource.</summary>
    public KubernetesDeploymentResource Deployment { get; } = deployment;

    /// <summary>The project's own folder.</summary>
    public string ProjectDirectory => Path.GetDirectoryName(Image.Image.ProjectFile)!;

    /// <summary>Directories whose changes rebuild this project: its folder and those of the projects it references.</summary>
    public IReadOnlyList<string> SourceDirectories { get; init; } = [];

    /// <summary>
    /// Rebuilds the image and, when it changed and the deployment is up, rolls out to it. An unchanged tree pushes
    /// nothing and rolls nothing out; a failed build keeps the last good version serving. Returns whether the
    /// sources are now what runs (or will run once the deployment's first start completes). <paramref name="options"/>
    /// builds this once with other options than the image's own (the trimmed image on demand in a fast session, the image
    /// of dotnet-watch's build for Hot Reload); <paramref name="onBuilt"/> sees the image before it is rolled out.
    /// </summary>
    public async Task<CommandResult> RebuildAndDeployAsync(CancellationToken buildToken, CancellationToken lifetime, ImageBuildOptions? options = null, Action<ImageBuild>? onBuilt = null)
    {
        if (Image.Context is not { } imageContext)
        {
            return CommandResult.Fail($"{Image.Name} is not initialized yet");
        }

        using var span = DevEnvTelemetry.Source.StartActivity($"rebuild and deploy {Image.Name}");
        ImageBuildResult result;
        using (DevEnvTelemetry.Source.StartActivity($"build {Image.Name}"))
        {
            result = await Image.Image.BuildAsync(imageContext, options ?? Image.Image.Options, buildToken).ConfigureAwait(false);
            DevEnvTelemetry.RecordBuild(Image.Name, result);
        }

        if (!result.Success)
        {
            return CommandResult.Fail(result.Error!);
        }

        var build = result.Build!;
        onBuilt?.Invoke(build);
        // Before its first start the deployment waits for the image to be healthy, then deploys the last good image itself.
        if (Deployment.Context is not { } deploymentContext || deploymentContext.State is null or ResourceStates.Waiting)
        {
            return CommandResult.Ok($"{build.ImageReference} is ready; {Deployment.Name} deploys it when its cluster is up");
        }

        var deployed = deploymentContext.Notifications.TryGetCurrentState(Deployment.Name, out var current) ? current.Snapshot.Property("image") : null;
        if (deployed == build.ImageReference && ResourceStates.IsUsable(deploymentContext.State))
        {
            return CommandResult.Ok($"{build.ImageReference} unchanged and already running");
        }

        using var rollout = DevEnvTelemetry.Source.StartActivity($"roll out {Deployment.Name}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await Deployment.Deployment.StartAsync(deploymentContext, lifetime).ConfigureAwait(false);
            DevEnvTelemetry.RecordRollout(Deployment.Name, clock.Elapsed, succeeded: true);
        }
        catch (InvalidOperationException ex)
        {
            DevEnvTelemetry.RecordRollout(Deployment.Name, clock.Elapsed, succeeded: false);
            rollout?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message.Split('\n')[0]);
            return CommandResult.Fail(ex.Message);
        }

        return CommandResult.Ok($"{build.ImageReference} rolled out");
    }
}
