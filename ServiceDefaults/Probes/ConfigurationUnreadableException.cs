namespace DevEnv.ServiceDefaults.Probes;

/// <summary>
/// The <c>probe</c> or <c>prestop</c> subcommand could not read the app's configuration: its content root is missing
/// or cannot be read by this user, or an appsettings file cannot be read or parsed. The message is the one line the
/// subcommand prints (exit code <see cref="ServiceCommand.ConfigurationUnreadable"/>).
/// </summary>
internal sealed class ConfigurationUnreadableException(string message, Exception inner) : Exception(message, inner);
