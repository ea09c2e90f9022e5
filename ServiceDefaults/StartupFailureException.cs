namespace DevEnv.ServiceDefaults;

/// <summary>A start-up failure with a one-line, actionable message; <see cref="ServiceDefaultsExtensions.RunServiceAsync"/> prints it and exits.</summary>
public sealed class StartupFailureException(string message, Exception? innerException = null) : Exception(message, innerException);
