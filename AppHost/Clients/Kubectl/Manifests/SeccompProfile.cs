namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>The seccomp profile to run under.</summary>
public sealed record SeccompProfile
{
    /// <summary>The <c>type</c> field.</summary>
    public string? Type { get; init; }
}
