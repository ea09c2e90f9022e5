using System.Globalization;
using DevEnv.ServiceDefaults.Probes;
using DevEnv.ServiceDefaults.Shutdown;
using Microsoft.Extensions.Configuration;

namespace DevEnv.ServiceDefaults;

/// <summary>
/// Reads and checks <see cref="ShutdownOptions"/> and <see cref="ProbeOptions"/> from configuration, for the app
/// and the <c>probe</c>/<c>prestop</c> subcommands alike. No reflection-based binding (trimming stays
/// warning-free), and durations in the forms people write: "1.5" or "1.5s" (seconds), "1500ms", or a TimeSpan
/// such as "00:00:01.5" (the configuration binder only takes the last). Nothing here throws: every problem
/// becomes a line in <see cref="ServiceSettings.Errors"/>, which start-up validation reports.
/// </summary>
public static class SettingsReader
{
    /// <summary>Both sections, with every problem found.</summary>
    public static ServiceSettings Read(IConfiguration configuration)
    {
        var errors = new List<string>();
        var shutdownSection = configuration.GetSection(ShutdownOptions.SectionName);
        var shutdownDefaults = new ShutdownOptions();
        var shutdown = new ShutdownOptions
        {
            DrainDelay = Duration(shutdownSection, nameof(ShutdownOptions.DrainDelay), shutdownDefaults.DrainDelay, errors),
            Timeout = Duration(shutdownSection, nameof(ShutdownOptions.Timeout), shutdownDefaults.Timeout, errors),
        };

        var probeSection = configuration.GetSection(ProbeOptions.SectionName);
        var probeDefaults = new ProbeOptions();
        var directory = probeSection[nameof(ProbeOptions.StateDirectory)];
        var probe = new ProbeOptions
        {
            Port = Port(probeSection, nameof(ProbeOptions.Port), probeDefaults.Port, errors),
            StateDirectory = string.IsNullOrWhiteSpace(directory) ? probeDefaults.StateDirectory : directory,
            HeartbeatInterval = Duration(probeSection, nameof(ProbeOptions.HeartbeatInterval), probeDefaults.HeartbeatInterval, errors),
            StaleAfter = Duration(probeSection, nameof(ProbeOptions.StaleAfter), probeDefaults.StaleAfter, errors),
            CheckInterval = Duration(probeSection, nameof(ProbeOptions.CheckInterval), probeDefaults.CheckInterval, errors),
            CheckTimeout = Duration(probeSection, nameof(ProbeOptions.CheckTimeout), probeDefaults.CheckTimeout, errors),
        };

        Require(probe.HeartbeatInterval > TimeSpan.Zero, probeSection, nameof(ProbeOptions.HeartbeatInterval),
            "must be longer than 0: the heartbeat is what proves the process alive (e.g. \"1s\")", errors);
        Require(probe.HeartbeatInterval <= TimeSpan.Zero || probe.StaleAfter >= 2 * probe.HeartbeatInterval, probeSection, nameof(ProbeOptions.StaleAfter),
            $"must be at least twice Probe:HeartbeatInterval ({probe.HeartbeatInterval.TotalMilliseconds} ms), or a healthy process looks hung", errors);
        Require(probe.CheckInterval > TimeSpan.Zero, probeSection, nameof(ProbeOptions.CheckInterval), "must be longer than 0 (e.g. \"5s\")", errors);
        Require(probe.CheckTimeout > TimeSpan.Zero, probeSection, nameof(ProbeOptions.CheckTimeout), "must be longer than 0 (e.g. \"5s\")", errors);
        return new ServiceSettings(shutdown, probe, errors);
    }

    /// <summary>Parses a duration; false when the value is not understood or negative.</summary>
    public static bool TryParseDuration(string raw, out TimeSpan value)
    {
        var inv = CultureInfo.InvariantCulture;
        raw = raw.Trim();
        bool parsed;
        if (raw.EndsWith("ms", StringComparison.OrdinalIgnoreCase) && double.TryParse(raw[..^2], NumberStyles.Float, inv, out var ms))
        {
            value = TimeSpan.FromMilliseconds(ms);
            parsed = true;
        }
        else if (double.TryParse(raw.EndsWith('s') ? raw[..^1] : raw, NumberStyles.Float, inv, out var s))
        {
            value = TimeSpan.FromSeconds(s);
            parsed = true;
        }
        else
        {
            parsed = TimeSpan.TryParse(raw, inv, out value);
        }

        return parsed && value >= TimeSpan.Zero;
    }

    private static TimeSpan Duration(IConfigurationSection section, string key, TimeSpan fallback, List<string> errors)
    {
        var raw = section[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }

        if (TryParseDuration(raw, out var value))
        {
            return value;
        }

        errors.Add($"{section.Path}:{key} = '{raw}' is not a duration. Use seconds (\"5\", \"1.5s\"), milliseconds (\"1500ms\") or a TimeSpan (\"00:00:05\").");
        return fallback;
    }

    private static int Port(IConfigurationSection section, string key, int fallback, List<string> errors)
    {
        var raw = section[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }

        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
        {
            return port;
        }

        errors.Add($"{section.Path}:{key} = '{raw}' is not a TCP port (1-65535).");
        return fallback;
    }

    private static void Require(bool condition, IConfigurationSection section, string key, string rule, List<string> errors)
    {
        if (!condition)
        {
            errors.Add($"{section.Path}:{key} = '{section[key] ?? "(default)"}' {rule}.");
        }
    }
}
