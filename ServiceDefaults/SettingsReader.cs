using System.Globalization;
using DevEnv.ServiceDefaults.Probes;
using DevEnv.ServiceDefaults.Shutdown;
using Microsoft.Extensions.Configuration;

namespace DevEnv.ServiceDefaults;

/// <summary>
/// Reads <see cref="ShutdownOptions"/> and <see cref="ProbeOptions"/> from configuration without the
/// reflection-based binder (so trimming stays warning-free). Durations accept "1.5" or "1.5s" (seconds),
/// "1500ms", or a TimeSpan such as "00:00:01.5".
/// </summary>
public static class SettingsReader
{
    /// <summary>Shutdown settings from the <c>Shutdown</c> section.</summary>
    public static ShutdownOptions ReadShutdown(IConfiguration configuration)
    {
        var section = configuration.GetSection(ShutdownOptions.SectionName);
        var defaults = new ShutdownOptions();
        return new ShutdownOptions
        {
            DrainDelay = ReadDuration(section, nameof(ShutdownOptions.DrainDelay), defaults.DrainDelay),
            Timeout = ReadDuration(section, nameof(ShutdownOptions.Timeout), defaults.Timeout),
        };
    }

    /// <summary>Probe settings from the <c>Probe</c> section.</summary>
    public static ProbeOptions ReadProbe(IConfiguration configuration)
    {
        var section = configuration.GetSection(ProbeOptions.SectionName);
        var defaults = new ProbeOptions();
        var directory = section[nameof(ProbeOptions.StateDirectory)];
        return new ProbeOptions
        {
            StateDirectory = string.IsNullOrWhiteSpace(directory) ? defaults.StateDirectory : directory,
            HeartbeatInterval = ReadDuration(section, nameof(ProbeOptions.HeartbeatInterval), defaults.HeartbeatInterval),
            StaleAfter = ReadDuration(section, nameof(ProbeOptions.StaleAfter), defaults.StaleAfter),
        };
    }

    /// <summary>Parses a duration; throws naming the setting when the value is not understood.</summary>
    public static TimeSpan ReadDuration(IConfigurationSection section, string key, TimeSpan fallback)
    {
        var raw = section[key]?.Trim();
        if (string.IsNullOrEmpty(raw))
        {
            return fallback;
        }

        if (TryParseDuration(raw, out var value) && value >= TimeSpan.Zero)
        {
            return value;
        }

        throw new InvalidOperationException(
            $"Setting {section.Path}:{key} = '{raw}' is not a duration. Use seconds (\"5\", \"1.5s\"), milliseconds (\"1500ms\") or a TimeSpan (\"00:00:05\").");
    }

    private static bool TryParseDuration(string raw, out TimeSpan value)
    {
        var inv = CultureInfo.InvariantCulture;
        if (raw.EndsWith("ms", StringComparison.OrdinalIgnoreCase)
            && double.TryParse(raw[..^2], NumberStyles.Float, inv, out var ms))
        {
            value = TimeSpan.FromMilliseconds(ms);
            return true;
        }

        var seconds = raw.EndsWith('s') ? raw[..^1] : raw;
        if (double.TryParse(seconds, NumberStyles.Float, inv, out var s))
        {
            value = TimeSpan.FromSeconds(s);
            return true;
        }

        return TimeSpan.TryParse(raw, inv, out value);
    }
}
