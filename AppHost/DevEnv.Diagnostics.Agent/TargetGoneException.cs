namespace DevEnv.Diagnostics.Agent;

/// <summary>The target ended while its file was being collected.</summary>
public sealed class TargetGoneException(string message) : Exception(message);
