using System.Net;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace DevEnv.Hosting.Resources.Diagnostics;

/// <summary>
/// Runs the agent in a pod through the API server, as <c>kubectl debug --target</c> does: an ephemeral container from the
/// tools image joins the app container's process namespace and mounts its /tmp volume (where the runtime's diagnostic
/// socket is), idles, and each collection is an exec of the agent in it, its stdout streamed back over the exec
/// websocket. Neither image needs a shell. Ephemeral containers cannot be removed, so one per pod is kept and reused;
/// it goes with the pod.
/// </summary>
/// <param name="api">A client for the cluster (the environment's own kubeconfig and context).</param>
public sealed class KubernetesAgentRunner(IKubernetes api) : IPodAgentRunner
{
    /// <summary>The ephemeral container's name.</summary>
    public const string ContainerName = "devenv-diagnostics";

    /// <summary>How long the ephemeral container may take to start (an image pull on a cold node).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <inheritdoc />
    public async Task<int> RunAsync(PodTarget pod, string toolsImage, IReadOnlyList<string> arguments, Stream output, Action<string> onMessage, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(pod, cancellationToken).ConfigureAwait(false);
        if (current.Spec.EphemeralContainers?.Any(c => c.Name == ContainerName) != true)
        {
            onMessage($"adding the diagnostics container ({toolsImage}) to pod {pod.Pod}");
            var patch = new V1Patch(EphemeralContainerPatch(current, pod, toolsImage), V1Patch.PatchType.StrategicMergePatch);
            await CallAsync(pod, () => api.CoreV1.PatchNamespacedPodEphemeralcontainersAsync(patch, pod.Pod, pod.Namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await WaitRunningAsync(pod, cancellationToken).ConfigureAwait(false);
        return await ExecAsync(pod, arguments, output, onMessage, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The ephemeral container: the agent idling, sharing the app container's process namespace (targetContainerName)
    /// and its /tmp volume, as the app's own user, with nothing more than the app has.
    /// </summary>
    public static string EphemeralContainerPatch(V1Pod current, PodTarget pod, string toolsImage)
    {
        var app = current.Spec.Containers.FirstOrDefault(c => c.Name == pod.Container)
            ?? throw new InvalidOperationException($"pod {pod.Pod} has no container {pod.Container}");
        var tmp = app.VolumeMounts?.FirstOrDefault(m => m.MountPath is "/tmp" or "/tmp/")
            ?? throw new InvalidOperationException($"container {pod.Container} of pod {pod.Pod} has no volume at /tmp, where the runtime's diagnostic socket is; the diagnostics container cannot reach it");
        var user = app.SecurityContext?.RunAsUser ?? current.Spec.SecurityContext?.RunAsUser;
        var container = new V1EphemeralContainer
        {
            Name = ContainerName,
            Image = toolsImage,
            Command = [AgentExitCodes.Executable, "idle"],
            TargetContainerName = pod.Container,
            VolumeMounts = [new V1VolumeMount { Name = tmp.Name, MountPath = "/tmp" }],
            SecurityContext = new V1SecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = user,
                ReadOnlyRootFilesystem = true,
                AllowPrivilegeEscalation = false,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
            },
        };
        var body = new V1Pod { Spec = new V1PodSpec { Containers = [], EphemeralContainers = [container] } };
        // Containers is required by the model; an empty list under a strategic merge patch changes nothing.
        return KubernetesJson.Serialize(body).Replace("\"containers\":[],", "", StringComparison.Ordinal);
    }

    private async Task WaitRunningAsync(PodTarget pod, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        while (true)
        {
            var current = await ReadAsync(pod, cancellationToken).ConfigureAwait(false);
            var status = current.Status?.EphemeralContainerStatuses?.FirstOrDefault(s => s.Name == ContainerName);
            if (status?.State?.Running is not null)
            {
                return;
            }

            if (status?.State?.Terminated is { } ended)
            {
                throw new InvalidOperationException($"the diagnostics container in pod {pod.Pod} ended ({ended.Reason}, exit {ended.ExitCode}); it cannot be restarted, the next pod gets a new one");
            }

            if (deadline.IsCancellationRequested)
            {
                var waiting = status?.State?.Waiting;
                throw new TimeoutException($"the diagnostics container in pod {pod.Pod} did not start within {StartTimeout.TotalSeconds:0} s ({waiting?.Reason ?? "no status"}{(waiting?.Message is { } m ? ": " + m : "")})");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<int> ExecAsync(PodTarget pod, IReadOnlyList<string> arguments, Stream output, Action<string> onMessage, CancellationToken cancellationToken)
    {
        using var socket = await CallAsync(pod, () => api.WebSocketNamespacedPodExecAsync(pod.Pod, pod.Namespace, [AgentExitCodes.Executable, .. arguments],
            ContainerName, stderr: true, stdin: false, stdout: true, tty: false, cancellationToken: cancellationToken)).ConfigureAwait(false);
        using var demuxer = new StreamDemuxer(socket, StreamType.RemoteCommand, ownsSocket: false);
        demuxer.Start();
        var stdout = demuxer.GetStream(ChannelIndex.StdOut, null);
        var stderr = demuxer.GetStream(ChannelIndex.StdErr, null);
        var error = demuxer.GetStream(ChannelIndex.Error, null);
        var messages = Task.Run(async () =>
        {
            using var reader = new StreamReader(stderr, Encoding.UTF8);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                onMessage(line);
            }
        }, cancellationToken);
        var status = Task.Run(async () =>
        {
            using var reader = new StreamReader(error, Encoding.UTF8);
            return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

        try
        {
            await stdout.CopyToAsync(output, 1 << 20, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or System.Net.WebSockets.WebSocketException)
        {
            throw new PodGoneException($"the connection to pod {pod.Pod} ended ({ex.Message}): is the pod gone?", ex);
        }

        await messages.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var text = await status.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        return ExitCodeOf(text);
    }

    /// <summary>The exit code in the exec's status message (the error channel): 0 on Success, the cause's code otherwise.</summary>
    public static int ExitCodeOf(string statusJson)
    {
        if (string.IsNullOrWhiteSpace(statusJson))
        {
            throw new PodGoneException("the exec ended without a status: is the pod gone?");
        }

        var status = JsonSerializer.Deserialize<V1Status>(statusJson, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? throw new InvalidOperationException("the exec's status could not be read: " + statusJson);
        return Kubernetes.GetExitCodeOrThrow(status);
    }

    private async Task<V1Pod> ReadAsync(PodTarget pod, CancellationToken cancellationToken)
    {
        var current = await CallAsync(pod, () => api.CoreV1.ReadNamespacedPodAsync(pod.Pod, pod.Namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return current.Status?.Phase == "Running" && current.Metadata.DeletionTimestamp is null
            ? current
            : throw new PodGoneException($"pod {pod.Pod} is {(current.Metadata.DeletionTimestamp is null ? current.Status?.Phase ?? "not running" : "terminating")}");
    }

    private static async Task<T> CallAsync<T>(PodTarget pod, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new PodGoneException($"pod {pod.Pod} is gone", ex);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new InvalidOperationException($"the cluster does not let us add a diagnostics container to pod {pod.Pod} (pods/ephemeralcontainers, pods/exec): {ex.Response.ReasonPhrase}", ex);
        }
    }
}
