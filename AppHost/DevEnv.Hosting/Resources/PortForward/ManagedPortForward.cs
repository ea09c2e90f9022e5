using System.Net;
using System.Net.Sockets;
using DevEnv.Hosting.Clients.Kubernetes;
using k8s;

namespace DevEnv.Hosting.Resources.PortForward;

/// <summary>
/// A local URL on 127.0.0.1 for a port of a workload's pods, through the API server's pods/portforward (so it works for
/// kind under any engine and for a remote cluster). It follows the pods: each new connection goes to a ready pod that
/// is not terminating, so during a rollout new requests reach the new pod while the old one drains the connections it
/// has. The local port is the one asked for (stable across restarts of the AppHost when the caller keeps it).
/// </summary>
public sealed class ManagedPortForward(IPortForwardApi api, string @namespace, string selector, int podPort, int localPort) : IAsyncDisposable
{
    private static readonly TimeSpan ReadyWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RewatchDelay = TimeSpan.FromSeconds(1);
    private readonly ReadyPods _pods = new();
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;
    private Task _watching = Task.CompletedTask;
    private long _connections;
    private long _failed;

    /// <summary>The URL shown on the resource.</summary>
    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint?)_listener?.LocalEndpoint)?.Port ?? localPort}/");

    /// <summary>The pod new connections go to; null while none is ready.</summary>
    public string? CurrentPod => _pods.Current;

    /// <summary>Connections forwarded, and those that could not be (no ready pod in time, or every pod refused).</summary>
    public (long Forwarded, long Failed) Counts => (Interlocked.Read(ref _connections), Interlocked.Read(ref _failed));

    /// <summary>Raised when new connections start going to another pod (or to none).</summary>
    public event Action<PortForwardRetarget>? Retargeted;

    /// <summary>Why the watch of the pods last failed; null while it works.</summary>
    public string? Problem { get; private set; }

    /// <summary>Lists the pods, listens on 127.0.0.1, then forwards and follows the pods until disposed.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var list = await api.ListPodsAsync(@namespace, selector, cancellationToken).ConfigureAwait(false);
        Report(_pods.Reset(list.Items), "listed the pods");
        var listener = new TcpListener(IPAddress.Loopback, localPort);
        listener.Start();
        _listener = listener;
        _watching = WatchAsync(list.Metadata?.ResourceVersion, _stop.Token);
        _accepting = AcceptAsync(listener, _stop.Token);
    }

    private async Task WatchAsync(string? resourceVersion, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var (type, pod) in api.WatchPodsAsync(@namespace, selector, resourceVersion, cancellationToken).ConfigureAwait(false))
                {
                    resourceVersion = pod.Metadata.ResourceVersion ?? resourceVersion;
                    var why = type == WatchEventType.Deleted ? $"pod {pod.Metadata.Name} was deleted"
                        : pod.Metadata.DeletionTimestamp is not null ? $"pod {pod.Metadata.Name} is terminating"
                        : ReadyPods.IsReady(pod) ? $"pod {pod.Metadata.Name} is ready" : $"pod {pod.Metadata.Name} is not ready";
                    Report(_pods.Apply(pod, type == WatchEventType.Deleted), why);
                }

                Problem = null;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesApiException ex)
            {
                // Relisted below: the watch's resource version may have expired while the API server was away.
                Problem = ex.Message;
                resourceVersion = null;
            }

            await Task.Delay(RewatchDelay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (resourceVersion is null && !cancellationToken.IsCancellationRequested)
            {
                try
                {
                    var list = await api.ListPodsAsync(@namespace, selector, cancellationToken).ConfigureAwait(false);
                    Report(_pods.Reset(list.Items), "listed the pods again");
                    resourceVersion = list.Metadata?.ResourceVersion;
                }
                catch (KubernetesApiException ex)
                {
                    Problem = ex.Message;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ForwardAsync(client, cancellationToken);
        }
    }

    private async Task ForwardAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            var local = client.GetStream();
            Stream? remote = null;
            try
            {
                // A pod that goes away between the watch's last word and this open refuses it: the next ready pod is tried.
                for (var attempt = 0; remote is null && attempt < 3; attempt++)
                {
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    wait.CancelAfter(ReadyWait);
                    var pod = await _pods.NextAsync(wait.Token).ConfigureAwait(false);
                    try
                    {
                        remote = await api.OpenAsync(@namespace, pod, podPort, wait.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is KubernetesApiException or IOException or SocketException)
                    {
                        Report(_pods.Refused(pod), $"pod {pod} refused a connection ({ex.Message})");
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // No ready pod within the wait, or stopping.
            }

            if (remote is null)
            {
                Interlocked.Increment(ref _failed);
                return;
            }

            Interlocked.Increment(ref _connections);
            await using (remote.ConfigureAwait(false))
            {
                var up = PumpAsync(local, remote, cancellationToken);
                var down = PumpAsync(remote, local, cancellationToken);
                // Either side ending ends the connection: the pod closed it (it drained), or the client went.
                await Task.WhenAny(up, down).ConfigureAwait(false);
            }
        }
    }

    private static async Task PumpAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        try
        {
            await from.CopyToAsync(to, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection ended on one side; the other is closed by the caller.
        }
    }

    private void Report((string? From, string? To)? change, string why)
    {
        if (change is { } c)
        {
            Retargeted?.Invoke(new PortForwardRetarget(c.From, c.To, why));
        }
    }

    /// <summary>Stops listening and following; open connections are closed.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        await Task.WhenAll(_accepting, _watching).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
