namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>A port a Service exposes; TargetPort is a port name (int-or-string in the API).</summary>
public sealed record ServicePort
{
    /// <summary>The <c>name</c> field.</summary>
    public string? Name { get; init; }

    /// <summary>The <c>protocol</c> field.</summary>
    public string? Protocol { get; init; }

    /// <summary>The <c>port</c> field.</summary>
    public int? Port { get; init; }

    /// <summary>The <c>targetPort</c> field.</summary>
    public string? TargetPort { get; init; }

    /// <summary>The <c>nodePort</c> field.</summary>
    public int? NodePort { get; init; }
}
