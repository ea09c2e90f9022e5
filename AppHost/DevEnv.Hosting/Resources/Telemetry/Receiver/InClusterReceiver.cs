using System.Globalization;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Image;

namespace DevEnv.Hosting.Resources.Telemetry.Receiver;

/// <summary>
/// The in-cluster telemetry path, for what the gateway relay cannot serve (a VM engine, a remote cluster): writes the
/// receiver's Secret (its tokens made once, kept in the state folder), tells the deployments to send to the receiver's
/// Service, builds the receiver's image with DevEnv's own pipeline and rolls it out, then reads it through the API
/// server's port-forward into the dashboard. The counters (received, delivered, dropped, refused) are the resource's
/// properties; a drop is one line on the AppHost's console.
/// </summary>
public sealed class InClusterReceiver(
    string name,
    EnvironmentSettings settings,
    DashboardOtlpTarget? target,
    IKubernetesClient kubernetes,
    IPortForwardApi? forwards,
    Func<CancellationToken, Task<string?>> whyNot,
    Func<ResourceLog, CancellationToken, Task<string>> buildImage) : Reconciler(name), IPodTelemetrySource, IManifestSource
{
    private static readonly TimeSpan RolloutTimeout = TimeSpan.FromMinutes(3);
    private readonly TaskCompletionSource<PodTelemetry?> _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ReceiverLink? _link;
    private long _reportedDrops;

    /// <inheritdoc />
    public override string Kind => "TelemetryReceiver";

    /// <inheritdoc />
    public PodTelemetry? Current { get; private set; }

    /// <inheritdoc />
    public Task<PodTelemetry?> Settled => _settled.Task;

    /// <summary>The AppHost's end, once the receiver runs.</summary>
    public ReceiverLink? Link => _link;

    /// <summary>
    /// Why <c>manifests</c> prints none of the receiver's objects, or null when it is the pods' path without asking the
    /// engine (a remote target, or DEVENV_TELEMETRY_PATH=receiver): the verb stays pure, so under <c>auto</c> the engine
    /// that <c>up</c> would find is not asked.
    /// </summary>
    public string? NotPrintedBecause { get; init; }

    /// <summary>The objects <c>manifests</c> prints: the Secret redacted, the image as the next build would tag it when known.</summary>
    public IReadOnlyList<string> RenderManifests(string image) =>
        [.. ReceiverManifests.Objects(settings, image, tokens: null).Select(ManifestYaml.Serialize)];

    /// <summary>
    /// Secret (no token shown), Deployment and Service when the receiver is the path, else nothing. The deployments are
    /// rendered after this, with the receiver's address and the Secret's header line, as <c>up</c> gives them.
    /// </summary>
    public Task<IReadOnlyList<string>> RenderManifestsAsync(CancellationToken cancellationToken)
    {
        if (NotPrintedBecause is not null)
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }

        // Only manifests renders without starting: what up settles on, so the deployments print the receiver's address.
        Current ??= ReceiverManifests.PodSettings(settings);
        return Task.FromResult(RenderManifests($"{settings.RegistryHostAddress}/{ReceiverManifests.ImageRepositoryOf(settings)}:{Deployment.DeploymentResource.UnbuiltTag}"));
    }

    /// <inheritdoc />
    public override async Task StartAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        try
        {
            if (await NotUsedAsync(context, cancellationToken).ConfigureAwait(false))
            {
                _settled.TrySetResult(null);
                return;
            }

            var tokens = await ReceiverTokens.LoadOrCreateAsync(settings.ResolvedStateDirectory, cancellationToken).ConfigureAwait(false);
            // The Secret first: the deployments' pods read their header from it, and need not wait for the image.
            await kubernetes.ApplyAsync([ReceiverManifests.Secret(settings, tokens)], context.Log, cancellationToken).ConfigureAwait(false);
            Current = ReceiverManifests.PodSettings(settings);
            _settled.TrySetResult(Current);
            context.Update(s => s.WithProperty("endpoint", Current.Endpoint).WithProperty("dashboard", target!.Url.ToString()));

            context.SetState(ResourceStates.Building, "publishing the receiver's image");
            var image = await buildImage(context.Log, cancellationToken).ConfigureAwait(false);
            context.SetState(ResourceStates.RollingOut, $"applying {image}");
            await kubernetes.ApplyAsync([ReceiverManifests.Deployment(settings, image), ReceiverManifests.Service(settings)], context.Log, cancellationToken).ConfigureAwait(false);
            await kubernetes.WaitForRolloutAsync(ReceiverManifests.Name, ReceiverManifests.Selector(settings), RolloutTimeout, context.Log, cancellationToken).ConfigureAwait(false);
            await StartLinkAsync(context, tokens, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is KubernetesApiException or ImageBuildFailedException or IOException or TimeoutException)
        {
            context.SetState(ResourceStates.Failed, $"the in-cluster telemetry receiver is not running: {ex.Message.Split('\n')[0]} (the deployments roll out without telemetry meanwhile)");
            throw;
        }
        finally
        {
            _settled.TrySetResult(Current);
        }
    }

    private async Task<bool> NotUsedAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        if (target is null)
        {
            context.SetState(ResourceStates.Stopped, "no dashboard OTLP endpoint is configured (ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL): the pods' telemetry is not collected");
            return true;
        }

        if (await whyNot(cancellationToken).ConfigureAwait(false) is { } reason)
        {
            context.SetState(ResourceStates.Stopped, reason);
            return true;
        }

        if (target.Protocol != "http/protobuf" || forwards is null)
        {
            context.SetState(ResourceStates.Stopped, "the receiver hands telemetry to the dashboard over OTLP/HTTP: set ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL (launchSettings.json)");
            return true;
        }

        return false;
    }

    /// <summary>Opens the port-forward and the reader; the counters become properties as each read reports them.</summary>
    internal async Task StartLinkAsync(ResourceContext context, ReceiverTokens tokens, CancellationToken cancellationToken)
    {
        var link = new ReceiverLink(forwards!, settings.WorkloadNamespace, ReceiverManifests.Selector(settings), tokens.Read, target!);
        link.Reader.Changed += reader => Report(context, link, reader);
        await link.StartAsync(cancellationToken).ConfigureAwait(false);
        _link = link;
        context.SetState(ResourceStates.Running, $"pods send to {Current?.Endpoint}; read through the API server's port-forward at {link.ReadUrl} into the dashboard at {target!.Url}");
    }

    private void Report(ResourceContext context, ReceiverLink link, ReceiverReader reader)
    {
        if (reader.Counters is not { } counters)
        {
            context.SetProperty("problem", reader.Problem);
            return;
        }

        context.Update(s => s
            .WithProperty("received", Text(counters.AcceptedRequests))
            .WithProperty("delivered", Text(link.Delivered))
            .WithProperty("dropped", Text(counters.DroppedRequests))
            .WithProperty("buffered", Text(counters.BufferedRequests))
            .WithProperty("refused", Text(counters.RefusedRequests))
            .WithProperty("problem", reader.Problem));
        var before = Interlocked.Exchange(ref _reportedDrops, counters.DroppedRequests);
        if (counters.DroppedRequests > before)
        {
            context.Announce($"the telemetry receiver dropped {counters.DroppedRequests - before} requests (oldest first) beyond its bound while the AppHost was not reading: {counters.Describe()}");
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Stops reading when the AppHost exits: what the pods send meanwhile waits in the receiver's buffer.</summary>
    public override async Task StopAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _link, null) is { } link)
        {
            await link.DisposeAsync().ConfigureAwait(false);
        }
    }
}
