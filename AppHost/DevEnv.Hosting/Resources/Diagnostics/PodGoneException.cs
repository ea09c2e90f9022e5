namespace DevEnv.Hosting.Resources.Diagnostics;

/// <summary>The pod (or its app container) is gone: deleted, replaced by a rollout, or stopped.</summary>
public sealed class PodGoneException(string message, Exception? inner = null) : Exception(message, inner);
