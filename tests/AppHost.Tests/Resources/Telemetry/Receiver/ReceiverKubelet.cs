using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using DevEnv.AppHost.Tests.Resources.PortForward;
using DevEnv.AppHost.Tests.Support;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Telemetry.Receiver;
using DevEnv.TelemetryReceiver.Protocol;
using k8s;
using k8s.Models;

namespace DevEnv.AppHost.Tests.Resources.Telemetry.Receiver;

/// <summary>
/// The API server and kubelet of the receiver's namespace, as far as the receiver needs them: it records what is
/// applied, and a rollout of the receiver's Deployment runs the real receiver process with the environment the applied
/// Deployment names, each secretKeyRef resolved from the applied Secret (as the kubelet does), its two ports on free
/// loopback ports; the pod is then ready in <see cref="Pods"/>, which the port-forward reaches. Every other call fails.
/// </summary>
internal sealed class ReceiverKubelet(string @namespace, string selector, long? bufferBytes = null) : IKubernetesClient, IAsyncDisposable
{
    private readonly ConcurrentQueue<IKubernetesObject<V1ObjectMeta>> _applied = new();
    private ChildProcess? _process;

    /// <summary>The pods API the port-forward uses.</summary>
    public ProcessPods Pods { get; } = new(@namespace, selector);

    /// <summary>What was applied, in order.</summary>
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Applied => [.. _applied];

    /// <summary>The receiver pod's OTLP/HTTP port on loopback (what the Service leads to).</summary>
    public int IngestPort { get; } = FreePort.Next();

    /// <summary>Its read port on loopback.</summary>
    public int ReadPort { get; } = FreePort.Next();

    /// <summary>The receiver process's output.</summary>
    public string Output => _process?.Output ?? "(not started)";

    /// <summary>The value of <paramref name="key"/> in the last applied Secret named <paramref name="name"/>.</summary>
    public string SecretValue(string name, string key)
    {
        var secret = Applied.OfType<V1Secret>().Last(s => s.Metadata.Name == name);
        return Encoding.UTF8.GetString(secret.Data?[key] ?? throw new InvalidOperationException($"secret {name} has no data (it was applied redacted)"));
    }

    public Task ApplyAsync(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects, ResourceLog log, CancellationToken cancellationToken)
    {
        foreach (var item in objects)
        {
            if (item.Metadata.NamespaceProperty != @namespace)
            {
                throw new InvalidOperationException($"applied {item.Kind} {item.Metadata.Name} to namespace {item.Metadata.NamespaceProperty}, not {@namespace}");
            }

            _applied.Enqueue(item);
        }

        return Task.CompletedTask;
    }

    public async Task WaitForRolloutAsync(string deployment, string podSelector, TimeSpan timeout, ResourceLog log, CancellationToken cancellationToken)
    {
        if (deployment != ReceiverManifests.Name || podSelector != selector)
        {
            throw new InvalidOperationException($"the test's kubelet runs only {ReceiverManifests.Name} ({selector}), not {deployment} ({podSelector})");
        }

        if (_process is not null)
        {
            return; // an unchanged Deployment: the pod that runs stays
        }

        var container = Assert.Single(Applied.OfType<V1Deployment>().Last(d => d.Metadata.Name == deployment).Spec.Template.Spec.Containers);
        var environment = container.Env.ToDictionary(e => e.Name,
            e => e.ValueFrom?.SecretKeyRef is { } key ? SecretValue(key.Name, key.Key) : e.Value, StringComparer.Ordinal);
        environment[ReceiverProtocol.IngestPortVariable] = IngestPort.ToString(CultureInfo.InvariantCulture);
        environment[ReceiverProtocol.ReadPortVariable] = ReadPort.ToString(CultureInfo.InvariantCulture);
        if (bufferBytes is { } bound)
        {
            environment[ReceiverProtocol.BufferBytesVariable] = bound.ToString(CultureInfo.InvariantCulture);
        }

        var dll = Path.Combine(DevEnv.Hosting.Configuration.EnvironmentSettings.FindSourceRoot(), "AppHost", "DevEnv.TelemetryReceiver", "bin", "Release", "net10.0", "linux-x64", "DevEnv.TelemetryReceiver.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: dotnet build AppHost/DevEnv.TelemetryReceiver -c Release");
        _process = ChildProcess.Start("dotnet", environment, [dll], Path.GetDirectoryName(dll));
        await _process.WaitForHttpAsync(new Uri($"http://127.0.0.1:{ReadPort}{container.ReadinessProbe.HttpGet.Path}"), timeout, cancellationToken);
        Pods.Ready(ReceiverManifests.Name + "-6d9f7c-x2k4p", ReadPort, DateTime.UtcNow);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    public Task<IReadOnlyList<NodeState>> GetNodesAsync(ResourceLog log, CancellationToken cancellationToken) => throw Unexpected();

    public Task<string> WaitForApiServerAsync(TimeSpan timeout, Action<ApiServerAttempt>? onAttempt, CancellationToken cancellationToken) => throw Unexpected();

    public Task<bool> WaitForNodesReadyAsync(TimeSpan timeout, ResourceLog log, CancellationToken cancellationToken) => throw Unexpected();

    public Task RestartRolloutAsync(string deployment, ResourceLog log, CancellationToken cancellationToken) => throw Unexpected();

    public Task ScaleAsync(string deployment, int replicas, ResourceLog log, CancellationToken cancellationToken) => throw Unexpected();

    public Task<DeploymentState?> GetDeploymentAsync(string deployment, ResourceLog log, CancellationToken cancellationToken) => throw Unexpected();

    public Task WatchDeploymentAsync(string deployment, Action<DeploymentState> onChange, CancellationToken cancellationToken) => throw Unexpected();

    public Task<IReadOnlyList<PodState>> GetPodsAsync(string selector, ResourceLog log, CancellationToken cancellationToken) => throw Unexpected();

    public Task WatchPodsAsync(string selector, Action<IReadOnlyList<PodState>> onChange, CancellationToken cancellationToken) => throw Unexpected();

    public Task<IReadOnlyList<KubeEvent>> GetEventsAsync(string? podName, ResourceLog log, CancellationToken cancellationToken) => throw Unexpected();

    public Task<IReadOnlyList<string>> GetLogTailAsync(string pod, int lines, bool previous, ResourceLog log, CancellationToken cancellationToken) => throw Unexpected();

    public Task StreamLogsAsync(string selector, Action<string, string> onLine, CancellationToken cancellationToken) => throw Unexpected();

    public Task<int> DeleteByLabelAsync(string selector, ResourceLog log, CancellationToken cancellationToken) => throw Unexpected();

    public Task<int> DeleteClaimsByLabelAsync(string selector, ResourceLog log, CancellationToken cancellationToken) => throw Unexpected();

    public Task<bool> EnsureNamespaceAsync(V1Namespace ns, ResourceLog log, CancellationToken cancellationToken) => throw Unexpected();

    private static InvalidOperationException Unexpected([System.Runtime.CompilerServices.CallerMemberName] string call = "") =>
        new($"the receiver has no business calling {call}: the test's API server was not told about it");
}
