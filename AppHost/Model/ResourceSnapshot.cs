using System.Collections.Immutable;

namespace DevEnv.AppHost.Model;

/// <summary>
/// The immutable state of one resource at one moment. Changed only through
/// <see cref="ResourceNotificationService"/> with <c>with</c> expressions; every change bumps <see cref="Version"/>.
/// </summary>
public sealed record ResourceSnapshot
{
    /// <summary>The resource's unique name.</summary>
    public required string Name { get; init; }

    /// <summary>The kind of resource, e.g. "Registry", "Image", "Cluster", "Deployment".</summary>
    public required string Kind { get; init; }

    /// <summary>One of <see cref="ResourceStates"/>.</summary>
    public string State { get; init; } = ResourceStates.Waiting;

    /// <summary>Why the resource is in this state, in words a user can act on.</summary>
    public string? Reason { get; init; }

    /// <summary>Increases by one with every published change to this resource.</summary>
    public long Version { get; init; }

    /// <summary>When <see cref="State"/> last changed.</summary>
    public DateTimeOffset StateChangedAt { get; init; }

    /// <summary>When the resource last became Running, for uptime.</summary>
    public DateTimeOffset? RunningSince { get; init; }

    /// <summary>Names of the resources this one depends on.</summary>
    public ImmutableArray<string> DependsOn { get; init; } = [];

    /// <summary>URLs the resource can be reached at.</summary>
    public ImmutableArray<ResourceEndpoint> Endpoints { get; init; } = [];

    /// <summary>Free-form facts to show (image tag, sizes, timings, ready counts...).</summary>
    public ImmutableDictionary<string, string> Properties { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Names of the commands this resource offers (see <see cref="CommandNames"/>).</summary>
    public ImmutableArray<string> Commands { get; init; } = [];

    /// <summary>Returns a copy with one property set.</summary>
    public ResourceSnapshot WithProperty(string key, string value) => this with { Properties = Properties.SetItem(key, value) };
}
