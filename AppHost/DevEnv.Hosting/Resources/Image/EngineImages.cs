using DevEnv.Hosting.Clients.Oci;
using Docker.DotNet;

namespace DevEnv.Hosting.Resources.Image;

/// <summary>
/// Copies an image of the local Docker Engine (its <c>docker save</c>, through Docker.DotNet, found as the docker CLI
/// finds it: DOCKER_HOST, else the platform socket) into a registry with <see cref="EngineImageCopier"/>: how the base
/// image reaches a remote registry, whose TLS and credentials the engine need not know.
/// </summary>
public static class EngineImages
{
    /// <summary>Pushes <paramref name="image"/> (a name or image ID) as <paramref name="repository"/>:<paramref name="tag"/>; returns the manifest digest.</summary>
    public static async Task<string> CopyToRegistryAsync(string image, IOciRegistryClient registry, string repository, string tag, CancellationToken cancellationToken)
    {
        var endpoint = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? new Uri(host) : new Uri("unix:///var/run/docker.sock");
        // API 1.41 is what Engine 20.10 speaks; newer engines still accept it.
        using var client = new DockerClientBuilder().WithEndpoint(endpoint).WithApiVersion(new Version(1, 41)).Build();
        await using var saved = await client.Images.SaveImageAsync(image, cancellationToken).ConfigureAwait(false);
        return await EngineImageCopier.CopyAsync(saved, registry, repository, tag, cancellationToken).ConfigureAwait(false);
    }
}
