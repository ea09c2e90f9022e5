namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>An environment variable with a literal value.</summary>
public sealed record EnvVar
{
    /// <summary>The <c>name</c> field.</summary>
    public string? Name { get; init; }

    /// <summary>The <c>value</c> field.</summary>
    public string? Value { get; init; }
}
