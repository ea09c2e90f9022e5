using DevEnv.ServiceDefaults.Probes;
using DevEnv.ServiceDefaults.Shutdown;
using Microsoft.Extensions.Options;

namespace DevEnv.ServiceDefaults;

/// <summary>
/// The service's own settings as read from the app's configuration, with every problem found. Registered as
/// options validated at start (<c>ValidateOnStart</c>), so a bad value stops the app with a clear message
/// before it listens, instead of breaking the heartbeat later.
/// </summary>
/// <param name="Shutdown">The <c>Shutdown</c> section.</param>
/// <param name="Probe">The <c>Probe</c> section.</param>
/// <param name="Errors">One line per bad setting; empty when all is well.</param>
public sealed record ServiceSettings(ShutdownOptions Shutdown, ProbeOptions Probe, IReadOnlyList<string> Errors)
{
    /// <summary>Default settings with no errors (what options get before configuration is applied).</summary>
    public ServiceSettings()
        : this(new ShutdownOptions(), new ProbeOptions(), [])
    {
    }
}

/// <summary>
/// Fails start-up validation with every problem found while the builder read the settings (the values were needed
/// then, for the listening addresses and the host's shutdown timeout, so they are read once and checked here).
/// </summary>
internal sealed class ServiceSettingsValidator(IReadOnlyList<string> errors) : IValidateOptions<ServiceSettings>
{
    public ValidateOptionsResult Validate(string? name, ServiceSettings options) =>
        errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
}
