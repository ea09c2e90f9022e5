namespace DevEnv.Hosting.HotReload;

/// <summary>One pod's answer to an update: applied or refused (with the agent's lines), or no answer (<see cref="Error"/>).</summary>
public sealed record PodApply(string Address, bool Applied, IReadOnlyList<string> Log, string? Error);
