namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>What a lifecycle hook does.</summary>
public sealed record LifecycleHandler
{
    /// <summary>The <c>exec</c> field.</summary>
    public ExecAction? Exec { get; init; }

    /// <summary>The <c>httpGet</c> field.</summary>
    public HttpGetAction? HttpGet { get; init; }

    /// <summary>The <c>sleep</c> field.</summary>
    public SleepAction? Sleep { get; init; }
}
