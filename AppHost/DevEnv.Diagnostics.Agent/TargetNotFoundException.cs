namespace DevEnv.Diagnostics.Agent;

/// <summary>No process to collect from, in words that say what there is.</summary>
public sealed class TargetNotFoundException(string message) : Exception(message);
