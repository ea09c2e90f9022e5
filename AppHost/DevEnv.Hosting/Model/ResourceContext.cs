using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging;

namespace DevEnv.Hosting.Model;

/// <summary>
/// What a reconciler reports through: Aspire's <see cref="ResourceNotificationService"/> for state and properties
/// (the dashboard's resource view) and the resource's logger for its console log. One per resource.
/// </summary>
public sealed class ResourceContext(IResource resource, ResourceNotificationService notifications, ILogger logger, TimeProvider? time = null, ILogger? console = null)
{
    /// <summary>The property that carries the reason for the current state, in words a user can act on.</summary>
    public const string ReasonProperty = "reason";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The Aspire resource reported on.</summary>
    public IResource Resource { get; } = resource;

    /// <summary>The resource's name.</summary>
    public string ResourceName => Resource.Name;

    /// <summary>Aspire's notification service (to read other resources' state, too).</summary>
    public ResourceNotificationService Notifications { get; } = notifications;

    /// <summary>The console logs of all resources, for the children this one publishes (a deployment's pods); null in hand-made contexts.</summary>
    public ResourceLoggerService? Loggers { get; init; }

    /// <summary>This resource's console log.</summary>
    public ResourceLog Log { get; } = new(logger);

    /// <summary>The state last set through <see cref="SetState"/>.</summary>
    public string? State { get; private set; }

    /// <summary>The reason last set through <see cref="SetState"/>.</summary>
    public string? Reason { get; private set; }

    /// <summary>Changes this resource's snapshot (properties, URLs).</summary>
    public void Update(Func<CustomResourceSnapshot, CustomResourceSnapshot> change) =>
        // PublishUpdateAsync only takes a lock and writes to in-memory channels; waiting keeps updates in order.
        Notifications.PublishUpdateAsync(Resource, change).GetAwaiter().GetResult();

    /// <summary>Sets one property.</summary>
    public void SetProperty(string name, object? value) => Update(s => s.WithProperty(name, value));

    /// <summary>Writes <paramref name="line"/> to the resource's log and, as one line, to the AppHost's console.</summary>
    public void Announce(string line)
    {
        Log.Info(line);
        console?.LogWarning("{Resource}: {Line}", Resource.Name, line);
    }

    /// <summary>Sets this resource's state and reason, and logs the transition.</summary>
    public void SetState(string state, string? reason = null)
    {
        Log.Info(reason is null ? $"[{state}]" : $"[{state}] {reason}");
        // The AppHost's console shows each state change too, so a long step has visible progress without the dashboard.
        console?.LogInformation("{Resource}: {State}{Reason}", Resource.Name, state, reason is null ? "" : " - " + reason);
        State = state;
        Reason = reason;
        var now = _time.GetUtcNow().UtcDateTime;
        Update(s => s.WithProperty(ReasonProperty, reason) with
        {
            State = new ResourceStateSnapshot(state, ResourceStates.StyleOf(state)),
            StartTimeStamp = state == ResourceStates.Running && !ResourceStates.IsUsable(s.State?.Text) ? now : s.StartTimeStamp,
            StopTimeStamp = state is ResourceStates.Stopped or ResourceStates.Failed ? now : null,
        });
    }
}
