namespace DevEnv.AppHost.Resources.Registry;

/// <summary>The registry could not be brought up; the message says why and what to do.</summary>
public sealed class RegistryStartException(string message, Exception? inner = null) : Exception(message, inner);
