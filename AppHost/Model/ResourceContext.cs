namespace DevEnv.AppHost.Model;

/// <summary>
/// What a running resource gets to report with: its log and the notification service, bound to its name.
/// </summary>
public sealed class ResourceContext(string resourceName, ResourceNotificationService notifications, ResourceLogService logs)
{
    /// <summary>The resource's name.</summary>
    public string ResourceName { get; } = resourceName;

    /// <summary>The shared notification service, to read other resources' state.</summary>
    public ResourceNotificationService Notifications { get; } = notifications;

    /// <summary>This resource's log.</summary>
    public ResourceLog Log { get; } = logs.For(resourceName);

    /// <summary>The latest snapshot of this resource.</summary>
    public ResourceSnapshot Current => Notifications.Get(ResourceName);

    /// <summary>Changes this resource's snapshot.</summary>
    public ResourceSnapshot Update(Func<ResourceSnapshot, ResourceSnapshot> change) => Notifications.Publish(ResourceName, change);

    /// <summary>Sets this resource's state and reason, and logs the transition.</summary>
    public ResourceSnapshot SetState(string state, string? reason = null)
    {
        Log.Info(reason is null ? $"[{state}]" : $"[{state}] {reason}");
        return Notifications.SetState(ResourceName, state, reason);
    }
}
