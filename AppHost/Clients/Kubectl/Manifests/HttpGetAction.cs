namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>An HTTP GET against the container; Port is a port name (int-or-string in the API).</summary>
public sealed record HttpGetAction
{
    /// <summary>The <c>path</c> field.</summary>
    public string? Path { get; init; }

    /// <summary>The <c>port</c> field.</summary>
    public string? Port { get; init; }

    /// <summary>The <c>scheme</c> field.</summary>
    public string? Scheme { get; init; }
}
