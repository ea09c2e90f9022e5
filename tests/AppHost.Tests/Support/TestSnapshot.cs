namespace DevEnv.AppHost.Tests.Support;

/// <summary>What a test reads of a resource's Aspire snapshot: state, reason, properties as text and URLs.</summary>
/// <param name="Name">The resource's name.</param>
/// <param name="State">The state's text, or null before the first update.</param>
/// <param name="Reason">The reason property.</param>
/// <param name="Properties">Every property, as text.</param>
/// <param name="Endpoints">The resource's URLs.</param>
public sealed record TestSnapshot(string Name, string? State, string? Reason, IReadOnlyDictionary<string, string> Properties, IReadOnlyList<TestUrl> Endpoints);
