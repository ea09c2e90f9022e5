using DevEnv.AppHost.Model;

namespace DevEnv.AppHost.Dashboard;

/// <summary>What the dashboard's script receives for one resource: the snapshot plus its commands' button texts.</summary>
public sealed record ResourceView(
    string Name,
    string Kind,
    string State,
    string? Reason,
    long Version,
    DateTimeOffset StateChangedAt,
    DateTimeOffset? RunningSince,
    IReadOnlyList<string> DependsOn,
    IReadOnlyList<ResourceEndpoint> Endpoints,
    IReadOnlyDictionary<string, string> Properties,
    IReadOnlyList<CommandView> Commands)
{
    /// <summary>Builds the view of <paramref name="snapshot"/> with the given commands.</summary>
    public static ResourceView From(ResourceSnapshot snapshot, IEnumerable<ResourceCommand> commands) => new(
        snapshot.Name,
        snapshot.Kind,
        snapshot.State,
        snapshot.Reason,
        snapshot.Version,
        snapshot.StateChangedAt,
        snapshot.RunningSince,
        snapshot.DependsOn,
        snapshot.Endpoints,
        new SortedDictionary<string, string>(snapshot.Properties, StringComparer.Ordinal),
        [.. commands.Select(c => new CommandView(c.Name, c.DisplayName))]);
}

/// <summary>A command button: its name (used in the URL) and its text.</summary>
public sealed record CommandView(string Name, string DisplayName);
