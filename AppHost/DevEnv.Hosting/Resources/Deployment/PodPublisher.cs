using System.Collections.Concurrent;
using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Model;
using Microsoft.Extensions.Logging;

namespace DevEnv.Hosting.Resources.Deployment;

/// <summary>
/// Shows a deployment's pods as its child resources: one <see cref="PodResource"/> per pod, published through
/// Aspire's notification service with state Ready / NotReady / Terminating and the pod's facts; a pod that is gone
/// is marked Gone and hidden.
/// </summary>
public sealed class PodPublisher
{
    private readonly ConcurrentDictionary<string, PodResource> _known = new(StringComparer.Ordinal);

    /// <summary>Adds the diagnostics commands (trace, dump, debugger) to each pod as it appears; null adds none.</summary>
    public Diagnostics.PodDiagnosticsCommands? Diagnostics { get; init; }

    /// <summary>
    /// Writes <paramref name="line"/> of <paramref name="pod"/>'s output to that pod's console log, once the pod is
    /// shown (a line that comes first is in the deployment's log only).
    /// </summary>
    public void Log(ResourceContext deployment, string pod, string line)
    {
        if (deployment.Loggers is { } loggers && _known.TryGetValue(pod, out var resource))
        {
            loggers.GetLogger(resource).LogInformation("{Line}", line);
        }
    }

    /// <summary>Publishes <paramref name="pods"/> under the context's resource and retires the ones no longer listed.</summary>
    public void Publish(ResourceContext deployment, IReadOnlyList<PodState> pods)
    {
        var parent = deployment.Resource;
        foreach (var pod in pods)
        {
            var resource = _known.GetOrAdd(pod.Name, name => new PodResource(name, parent));
            Diagnostics?.AddTo(resource);
            var (state, style) = pod.Terminating ? ("Terminating", KnownResourceStateStyles.Info)
                : pod.Ready ? ("Ready", KnownResourceStateStyles.Success)
                : ("NotReady", KnownResourceStateStyles.Warn);
            deployment.Notifications.PublishUpdateAsync(resource, s => s with
            {
                ResourceType = "Pod",
                State = new ResourceStateSnapshot(state, style),
                Relationships = [new RelationshipSnapshot(parent.Name, "Parent")],
                Properties =
                [
                    new("resource.parentName", parent.Name),
                    new("phase", pod.Phase),
                    new("node", pod.Node ?? ""),
                    new("image", pod.Image ?? ""),
                    new("digest", pod.Digest ?? ""),
                    new("revision", pod.PodTemplateHash ?? ""),
                    new("restarts", pod.Restarts),
                    new("reason", pod.StateReason ?? pod.LastTerminationReason ?? ""),
                    new("lastProbeFailure", pod.ProbeFailures.LastOrDefault() ?? ""),
                ],
            }).GetAwaiter().GetResult();
        }

        foreach (var (name, resource) in _known)
        {
            if (resource.Deployment == parent && !pods.Any(p => p.Name == name) && _known.TryRemove(name, out _))
            {
                deployment.Notifications.PublishUpdateAsync(resource, s => s with
                {
                    State = new ResourceStateSnapshot("Gone", KnownResourceStateStyles.Info),
                    IsHidden = true,
                }).GetAwaiter().GetResult();
            }
        }
    }
}
