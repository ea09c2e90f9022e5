namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>Spec of a Service.</summary>
public sealed record ServiceSpec
{
    /// <summary>The <c>type</c> field.</summary>
    public string? Type { get; init; }

    /// <summary>The <c>selector</c> field.</summary>
    public IReadOnlyDictionary<string, string>? Selector { get; init; }

    /// <summary>The <c>ports</c> field.</summary>
    public IReadOnlyList<ServicePort>? Ports { get; init; }
}
