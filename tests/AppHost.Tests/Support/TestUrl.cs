namespace DevEnv.AppHost.Tests.Support;

/// <summary>One URL of a resource's snapshot.</summary>
/// <param name="Name">The URL's name.</param>
/// <param name="Url">The URL.</param>
public sealed record TestUrl(string Name, string Url);
