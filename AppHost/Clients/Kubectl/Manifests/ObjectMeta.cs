namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>Standard object metadata (only the fields we set).</summary>
public sealed record ObjectMeta
{
    /// <summary>The <c>name</c> field.</summary>
    public string? Name { get; init; }

    /// <summary>The <c>namespace</c> field.</summary>
    public string? Namespace { get; init; }

    /// <summary>The <c>labels</c> field.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>The <c>annotations</c> field.</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
