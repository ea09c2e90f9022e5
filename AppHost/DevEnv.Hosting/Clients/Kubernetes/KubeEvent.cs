namespace DevEnv.Hosting.Clients.Kubernetes;

/// <summary>A Kubernetes event about one object.</summary>
/// <param name="ObjectName">The object it is about (involvedObject.name).</param>
/// <param name="Type">Normal or Warning.</param>
/// <param name="Reason">E.g. "Unhealthy", "BackOff", "Failed".</param>
/// <param name="Message">What happened.</param>
/// <param name="Count">How often it happened.</param>
/// <param name="LastSeen">When it last happened (lastTimestamp, else eventTime, else creation), to order by time.</param>
/// <param name="ObjectKind">The kind of object it is about (Pod, ReplicaSet, Deployment).</param>
public sealed record KubeEvent(string ObjectName, string Type, string Reason, string Message, int Count,
    DateTimeOffset? LastSeen = null, string ObjectKind = "Pod")
{
    /// <summary>Whether it reports a failed startup, readiness or liveness probe.</summary>
    public bool IsProbeFailure => Reason == "Unhealthy";

    /// <summary>One line for error messages and the dashboard.</summary>
    public override string ToString() => $"{Type} {Reason}: {Message}" + (Count > 1 ? $" (x{Count})" : "");
}
