namespace DevEnv.AppHost.Model;

/// <summary>A URL a resource can be reached at, shown as a link in the console and dashboard.</summary>
/// <param name="Name">Short name, e.g. "http" or "registry".</param>
/// <param name="Url">The absolute URL.</param>
public sealed record ResourceEndpoint(string Name, string Url);
