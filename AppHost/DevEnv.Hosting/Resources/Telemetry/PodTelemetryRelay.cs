using System.Net;
using System.Net.Sockets;
using System.Text;
using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using k8s;
using k8s.Models;

namespace DevEnv.Hosting.Resources.Telemetry;

/// <summary>
/// Gets the pods' traces, metrics and logs into the Aspire dashboard: once the cluster is up, relays the kind
/// network's gateway address (which the pods reach through their node, and nothing outside this host does) to the
/// dashboard's OTLP endpoint on 127.0.0.1, and puts the dashboard's API key into a Secret the Deployments read. When
/// that cannot be done the deployments still roll out, without telemetry, and the state says why.
/// </summary>
public sealed class PodTelemetryRelay(
    string name,
    EnvironmentSettings settings,
    DashboardOtlpTarget? target,
    Func<CancellationToken, Task<IPAddress?>> findGateway,
    IKubernetesClient kubernetes) : Reconciler(name), IPodTelemetrySource
{
    /// <summary>The port the relay listens on at the gateway address: next to the dashboard's own (18888-18890).</summary>
    public const int Port = 18891;

    private readonly TaskCompletionSource<PodTelemetry?> _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private OtlpRelay? _relay;

    /// <inheritdoc />
    public override string Kind => "TelemetryRelay";

    /// <summary>The port to listen on; <see cref="Port"/> unless a test needs a free one.</summary>
    public int ListenPort { get; init; } = Port;

    /// <summary>Identifies the engine the nodes run on (null: assume one that shares its networks with this host).</summary>
    public Func<CancellationToken, Task<ContainerEngine?>>? IdentifyEngine { get; init; }

    /// <summary>Says why the relay stands down for another path (DEVENV_TELEMETRY_PATH=receiver); null: it runs where it can.</summary>
    public Func<CancellationToken, Task<string?>>? StandDown { get; init; }

    /// <summary>Where the pods send telemetry; null until the relay runs, or when it cannot.</summary>
    public PodTelemetry? Current { get; private set; }

    /// <summary>Connections the relay has forwarded since it started.</summary>
    public long Connections => _relay?.Accepted ?? 0;

    /// <summary>Completes once the relay runs or has given up (a rollout waits for this so its pods get the settings).</summary>
    public Task<PodTelemetry?> Settled => _settled.Task;

    /// <inheritdoc />
    public override async Task StartAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        try
        {
            Current = await RelayAsync(context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _settled.TrySetResult(Current);
        }
    }

    private async Task<PodTelemetry?> RelayAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        if (target is null)
        {
            context.SetState(ResourceStates.Stopped, "no dashboard OTLP endpoint is configured (ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL): the pods' telemetry is not collected");
            return null;
        }

        if (StandDown is not null && await StandDown(cancellationToken).ConfigureAwait(false) is { } why)
        {
            context.SetState(ResourceStates.Stopped, why);
            return null;
        }

        if (IdentifyEngine is not null && await IdentifyEngine(cancellationToken).ConfigureAwait(false) is { GatewayRelayWorks: false } engine)
        {
            // Under a VM the gateway exists in the VM only: binding it here fails, or worse, binds a same-numbered address that
            // the pods never reach. Said up front, with the engine's name, rather than as a socket error.
            context.Update(s => s.WithProperty(ContainerEngine.Property, engine.Summary));
            context.SetState(ResourceStates.Stopped, $"{engine.DisplayName}: this host cannot listen on the kind network's gateway, so the gateway relay cannot carry the pods' telemetry here: the in-cluster receiver read through the Kubernetes API carries it (with DEVENV_TELEMETRY_PATH=relay nothing does; unset it)");
            return null;
        }

        if (await findGateway(cancellationToken).ConfigureAwait(false) is not { } gateway)
        {
            context.SetState(ResourceStates.Stopped, "the Docker network 'kind' has no IPv4 gateway on this host, so pods cannot reach the dashboard: their telemetry is not collected");
            return null;
        }

        var relay = new OtlpRelay(new IPEndPoint(gateway, ListenPort), target.Url);
        try
        {
            relay.Start();
        }
        catch (SocketException ex)
        {
            await relay.DisposeAsync().ConfigureAwait(false);
            context.SetState(ResourceStates.Failed, $"cannot listen on {gateway}:{ListenPort} for the pods' telemetry ({ex.SocketErrorCode}): another DevEnv environment or program holds that port; stop it and start `up` again (the deployments roll out without telemetry meanwhile)");
            return null;
        }

        if (_relay is { } previous)
        {
            await previous.DisposeAsync().ConfigureAwait(false);
        }

        _relay = relay;
        var telemetry = new PodTelemetry($"http://{gateway}:{ListenPort}", target.Protocol);
        await kubernetes.ApplyAsync([HeadersSecret(settings, target.ApiKey)], context.Log, cancellationToken).ConfigureAwait(false);
        context.Update(s => s.WithProperty("endpoint", telemetry.Endpoint).WithProperty("dashboard", target.Url.ToString()).WithProperty("protocol", target.Protocol));
        context.SetState(ResourceStates.Running, $"pods send telemetry to {telemetry.Endpoint}, relayed to the dashboard at {target.Url}");
        return telemetry;
    }

    /// <summary>
    /// The Secret with OTEL_EXPORTER_OTLP_HEADERS for the pods (empty when the dashboard needs no key), labelled as
    /// ours. Its value is never logged or rendered by <c>manifests</c>.
    /// </summary>
    public static V1Secret HeadersSecret(EnvironmentSettings settings, string? apiKey) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Type = "Opaque",
        Metadata = new V1ObjectMeta
        {
            Name = PodTelemetry.HeadersSecretName,
            NamespaceProperty = KubernetesClient.DefaultNamespace,
            Labels = EnvironmentSettings.OwnedLabels(settings.Name),
        },
        Data = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [PodTelemetry.HeadersSecretKey] = Encoding.UTF8.GetBytes(apiKey is null ? "" : "x-otlp-api-key=" + apiKey),
        },
    };

    /// <summary>Stops relaying when the AppHost exits; the pods' exporters retry until the next <c>up</c>.</summary>
    public override async Task StopAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        if (_relay is { } relay)
        {
            _relay = null;
            await relay.DisposeAsync().ConfigureAwait(false);
        }
    }
}
