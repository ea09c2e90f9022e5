using DevEnv.AppHost.Model;

namespace DevEnv.AppHost.Cli;

/// <summary>How states look in the console: one color and icon per state, shared by the live table and the summary.</summary>
public static class StateStyle
{
    /// <summary>A Spectre color name.</summary>
    public static string Color(string state) => state switch
    {
        ResourceStates.Running => "green",
        ResourceStates.Degraded => "yellow",
        ResourceStates.Failed => "red",
        ResourceStates.Waiting or ResourceStates.Stopped => "grey",
        _ => "deepskyblue1",
    };

    /// <summary>A one-character icon.</summary>
    public static string Icon(string state) => state switch
    {
        ResourceStates.Running => "✔",
        ResourceStates.Degraded => "!",
        ResourceStates.Failed => "✖",
        ResourceStates.Stopped => "■",
        ResourceStates.Waiting => "…",
        _ => "•",
    };

    /// <summary>"4s", "2m 05s", "1h 03m".</summary>
    public static string Duration(TimeSpan t) =>
        t < TimeSpan.Zero ? "0s"
        : t.TotalHours >= 1 ? $"{(int)t.TotalHours}h {t.Minutes:00}m"
        : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m {t.Seconds:00}s"
        : $"{(int)t.TotalSeconds}s";
}
