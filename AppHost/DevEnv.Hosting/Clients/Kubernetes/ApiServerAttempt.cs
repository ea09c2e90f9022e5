namespace DevEnv.Hosting.Clients.Kubernetes;

/// <summary>One unanswered try of <see cref="IKubernetesClient.WaitForApiServerAsync"/>: what to show while it keeps trying.</summary>
/// <param name="Attempt">1 for the first try.</param>
/// <param name="Elapsed">Time since the wait began.</param>
/// <param name="Timeout">How long the wait goes on in all.</param>
/// <param name="Error">Why this try got no answer (connection refused, a 503 while etcd starts...).</param>
public sealed record ApiServerAttempt(int Attempt, TimeSpan Elapsed, TimeSpan Timeout, string Error);
