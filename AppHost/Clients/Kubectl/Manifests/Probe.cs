namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>A startup, readiness or liveness probe.</summary>
public sealed record Probe
{
    /// <summary>The <c>httpGet</c> field.</summary>
    public HttpGetAction? HttpGet { get; init; }

    /// <summary>The <c>exec</c> field.</summary>
    public ExecAction? Exec { get; init; }

    /// <summary>The <c>initialDelaySeconds</c> field.</summary>
    public int? InitialDelaySeconds { get; init; }

    /// <summary>The <c>periodSeconds</c> field.</summary>
    public int? PeriodSeconds { get; init; }

    /// <summary>The <c>timeoutSeconds</c> field.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>The <c>successThreshold</c> field.</summary>
    public int? SuccessThreshold { get; init; }

    /// <summary>The <c>failureThreshold</c> field.</summary>
    public int? FailureThreshold { get; init; }
}
