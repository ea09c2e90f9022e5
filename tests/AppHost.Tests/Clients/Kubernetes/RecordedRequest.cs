namespace DevEnv.AppHost.Tests.Clients.Kubernetes;

/// <summary>One request the fake API server received.</summary>
internal sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, string? ContentType, string Body);
