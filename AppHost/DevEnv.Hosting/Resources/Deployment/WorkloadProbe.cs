namespace DevEnv.Hosting.Resources.Deployment;

/// <summary>An HTTP probe the app model declares for a resource (Aspire's <c>WithHttpProbe</c>).</summary>
/// <param name="Type">startup, readiness or liveness.</param>
/// <param name="Path">The request path.</param>
/// <param name="PortName">The workload port it asks.</param>
/// <param name="PeriodSeconds">How often, if the model says.</param>
/// <param name="FailureThreshold">Failures before it counts, if the model says.</param>
public sealed record WorkloadProbe(string Type, string Path, string PortName, int? PeriodSeconds = null, int? FailureThreshold = null);
