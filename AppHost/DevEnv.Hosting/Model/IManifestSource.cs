namespace DevEnv.Hosting.Model;

/// <summary>
/// A resource that renders configuration (kind config, Kubernetes manifests). Rendering is pure: the same
/// settings give byte-identical YAML, so the <c>manifests</c> verb can print it for review and diffing.
/// </summary>
public interface IManifestSource
{
    /// <summary>The YAML documents this resource renders, each without the leading "---".</summary>
    Task<IReadOnlyList<string>> RenderManifestsAsync(CancellationToken cancellationToken);
}
