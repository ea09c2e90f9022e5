using DevEnv.AppHost.Clients.Docker;

namespace DevEnv.AppHost.Tests.Resources.Cluster;

/// <summary>
/// The real Docker client, except that every image is said to be present: lets a test get past the cluster's own
/// node-image check so the real kind meets an image that is not there.
/// </summary>
internal sealed class PresentImages(IDockerClient real) : IDockerClient, IImageOperations
{
    public DockerEndpoint Endpoint => real.Endpoint;

    public ISystemOperations System => real.System;

    public IImageOperations Images => this;

    public IContainerOperations Containers => real.Containers;

    public INetworkOperations Networks => real.Networks;

    public IVolumeOperations Volumes => real.Volumes;

    public Task<ImageInspect> InspectAsync(string image, CancellationToken cancellationToken) =>
        Task.FromResult(new ImageInspect { Id = "sha256:present", RepoTags = [image] });

    public async Task<ImageInspect?> TryInspectAsync(string image, CancellationToken cancellationToken) =>
        await InspectAsync(image, cancellationToken);

    public Task PullAsync(string image, IProgress<PullProgress>? progress, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task TagAsync(string source, string repository, string tag, CancellationToken cancellationToken) => real.Images.TagAsync(source, repository, tag, cancellationToken);

    public Task PushAsync(string repository, string tag, IProgress<PullProgress>? progress, CancellationToken cancellationToken) =>
        real.Images.PushAsync(repository, tag, progress, cancellationToken);

    public Task RemoveAsync(string image, bool force, CancellationToken cancellationToken) => real.Images.RemoveAsync(image, force, cancellationToken);
}
