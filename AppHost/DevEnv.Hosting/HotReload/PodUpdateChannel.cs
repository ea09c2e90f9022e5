using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace DevEnv.Hosting.HotReload;

/// <summary>
/// The AppHost's end of Hot Reload in the cluster. Each pod's SDK agent (the startup hook
/// Microsoft.Extensions.DotNetDeltaApplier, in WebSocket mode) dials out to this listener at start-up: the pod listens on
/// nothing, so nothing that reaches a pod through its Service can send it code, and the listener itself lets in only an
/// agent that proves the channel key (<see cref="ChannelKey"/>). The URL path names the workload and the image tag the
/// pod runs (<c>/&lt;workload&gt;/&lt;tag&gt;</c>). The channel keeps every update made against a workload's current image
/// and replays them to each pod that connects later, before the agent lets the app start, so a new or restarted pod
/// never serves the old code while the AppHost runs.
/// </summary>
public sealed class PodUpdateChannel : IAsyncDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    private readonly TcpListener _listener;
    private readonly ChannelKey _key;
    private readonly Action<string> _log;
    private readonly ConcurrentDictionary<string, WorkloadState> _workloads = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task _accepting = Task.CompletedTask;

    /// <summary>A channel listening on <paramref name="listen"/> (port 0: any free port), letting in agents that hold <paramref name="key"/>.</summary>
    public PodUpdateChannel(IPEndPoint listen, ChannelKey key, Action<string> log)
    {
        _listener = new TcpListener(listen);
        _key = key;
        _log = log;
    }

    /// <summary>How long a pod has to answer an update.</summary>
    public TimeSpan ApplyTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The address pods dial (its port resolved after <see cref="Start"/>).</summary>
    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Connections refused so far (no key, a wrong key, not a WebSocket, a bad path).</summary>
    public int Refused => _refused;

    private int _refused;

    /// <summary>Raised when a pod's runtime reports an edit it could not carry: the workload needs a rebuild.</summary>
    public event Action<string, string>? RuntimeRudeEdit;

    /// <summary>Starts listening; a SocketException (address not on this host, port taken) reaches the caller.</summary>
    public void Start()
    {
        _listener.Start();
        _accepting = AcceptAsync(_stop.Token);
    }

    /// <summary>The URL a pod of <paramref name="workload"/> running image <paramref name="baseline"/> dials.</summary>
    public string UrlFor(string workload, string baseline) =>
        $"ws://{(Endpoint.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Endpoint.Address}]" : Endpoint.Address)}:{Endpoint.Port}/{Uri.EscapeDataString(workload)}/{Uri.EscapeDataString(baseline)}";

    /// <summary>
    /// <paramref name="workload"/> now deploys image <paramref name="baseline"/>: updates made against an earlier image are
    /// dropped (the new image has them built in).
    /// </summary>
    public void SetBaseline(string workload, string baseline)
    {
        var state = _workloads.GetOrAdd(workload, _ => new WorkloadState());
        lock (state)
        {
            if (state.Baseline != baseline)
            {
                state.Baseline = baseline;
                state.History.Clear();
            }
        }
    }

    /// <summary>The pods of <paramref name="workload"/> connected now that run its current image.</summary>
    public IReadOnlyList<PodAgent> Agents(string workload) =>
        _workloads.TryGetValue(workload, out var state) ? state.Current() : [];

    /// <summary>Updates applied to <paramref name="workload"/>'s current image so far (what a late pod is replayed).</summary>
    public int Applied(string workload) => _workloads.TryGetValue(workload, out var state) ? state.HistoryCount() : 0;

    /// <summary>
    /// Sends <paramref name="update"/> to every connected pod of <paramref name="workload"/> that runs its current image,
    /// all at once, and gathers each one's answer. It is kept for pods that connect later only when every pod applied it.
    /// </summary>
    public async Task<IReadOnlyList<PodApply>> ApplyAsync(string workload, CodeUpdate update, CancellationToken cancellationToken)
    {
        var state = _workloads.GetOrAdd(workload, _ => new WorkloadState());
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var agents = state.Current();
            var answers = await Task.WhenAll(agents.Select(a => ApplyOneAsync(a, update.Message, cancellationToken))).ConfigureAwait(false);
            if (answers.All(a => a.Applied))
            {
                lock (state)
                {
                    state.History.Add(update);
                }
            }

            return answers;
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private async Task<PodApply> ApplyOneAsync(PodAgent agent, byte[] message, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await agent.SendAsync(message, ApplyTimeout, cancellationToken).ConfigureAwait(false);
            return new PodApply(agent.Address, reply.Applied, [.. reply.Log.Select(l => l.Message)], null);
        }
        catch (Exception ex) when (ex is TimeoutException or WebSocketException or ObjectDisposedException)
        {
            return new PodApply(agent.Address, false, [], ex is TimeoutException ? $"no answer within {ApplyTimeout.TotalSeconds:0} s" : ex.Message);
        }
    }

    private async Task AcceptAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client, stopping), CancellationToken.None);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stopping)
    {
        var address = client.Client.RemoteEndPoint?.ToString() ?? "?";
        var stream = client.GetStream();
        PodAgent? agent = null;
        try
        {
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            handshake.CancelAfter(HandshakeTimeout);
            var upgrade = await WebSocketUpgrade.ReadAsync(stream, handshake.Token).ConfigureAwait(false);
            if (upgrade is not { IsUpgrade: true, Key: not null })
            {
                await RefuseAsync(stream, 400, "Bad Request", address, "not a WebSocket request", handshake.Token).ConfigureAwait(false);
                return;
            }

            if (!_key.Accepts(upgrade.SubProtocol))
            {
                await RefuseAsync(stream, 401, "Unauthorized", address, upgrade.SubProtocol is null ? "no channel key" : "a wrong channel key", handshake.Token).ConfigureAwait(false);
                return;
            }

            var parts = upgrade.Path.Trim('/').Split('/');
            if (parts.Length != 2 || parts.Any(p => p.Length == 0))
            {
                await RefuseAsync(stream, 404, "Not Found", address, $"path {upgrade.Path} is not /<workload>/<image tag>", handshake.Token).ConfigureAwait(false);
                return;
            }

            await upgrade.AcceptAsync(stream, handshake.Token).ConfigureAwait(false);
            var socket = WebSocket.CreateFromStream(stream, isServer: true, upgrade.SubProtocol, TimeSpan.FromSeconds(30));
            using var first = await PodAgent.ReadMessageAsync(socket, handshake.Token).ConfigureAwait(false)
                ?? throw new InvalidDataException("closed before its initialization");
            if (first.ReadByte() != AgentMessageType.InitializationResponse || first.ReadByte() != 0)
            {
                throw new InvalidDataException("its first message is not a version-0 initialization");
            }

            var capabilities = await AgentWire.ReadStringAsync(first, handshake.Token).ConfigureAwait(false);
            var workload = Uri.UnescapeDataString(parts[0]);
            agent = new PodAgent(socket, workload, Uri.UnescapeDataString(parts[1]), address, capabilities);
            agent.StartReceiving((pod, message) =>
            {
                _log($"Hot Reload: the runtime in {pod.Address} could not carry an update: {message}");
                RuntimeRudeEdit?.Invoke(pod.Workload, message);
            });
            await JoinAsync(agent, stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or WebSocketException or InvalidDataException or EndOfStreamException)
        {
            if (!stopping.IsCancellationRequested)
            {
                _log($"Hot Reload: the connection from {address} ended during its start: {ex.Message}");
            }

            agent?.Abort();
            client.Dispose();
        }
    }

    // Replays the current image's updates to a pod that runs it, then lets its app start; under the workload's gate so no
    // update slips between the replay and the pod joining the set that gets the next one.
    private async Task JoinAsync(PodAgent agent, CancellationToken stopping)
    {
        var state = _workloads.GetOrAdd(agent.Workload, _ => new WorkloadState());
        await state.Gate.WaitAsync(stopping).ConfigureAwait(false);
        try
        {
            CodeUpdate[] replay;
            lock (state)
            {
                replay = state.Baseline == agent.Baseline ? [.. state.History] : [];
            }

            foreach (var update in replay)
            {
                var reply = await agent.SendAsync(update.Message, ApplyTimeout, stopping).ConfigureAwait(false);
                if (!reply.Applied)
                {
                    _log($"Hot Reload: {agent.Address} refused a replayed update: {string.Join(" ", reply.Log.Select(l => l.Message))}");
                }
            }

            await agent.CompleteInitialUpdatesAsync(stopping).ConfigureAwait(false);
            state.Add(agent);
            _log($"Hot Reload: {agent.Workload} pod {agent.Address} connected (image {agent.Baseline}{(replay.Length > 0 ? $", {replay.Length} update(s) replayed" : "")})");
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private async Task RefuseAsync(NetworkStream stream, int status, string reason, string address, string why, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _refused);
        _log($"Hot Reload: refused a connection from {address}: {why}");
        await WebSocketUpgrade.RefuseAsync(stream, status, reason, cancellationToken).ConfigureAwait(false);
        stream.Socket.Close();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        foreach (var agent in _workloads.Values.SelectMany(w => w.All()))
        {
            agent.Abort();
        }

        _stop.Dispose();
    }

    private sealed class WorkloadState
    {
        private readonly List<PodAgent> _agents = [];

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public string? Baseline { get; set; }

        public List<CodeUpdate> History { get; } = [];

        public int HistoryCount()
        {
            lock (this)
            {
                return History.Count;
            }
        }

        public void Add(PodAgent agent)
        {
            lock (this)
            {
                _agents.RemoveAll(a => a.Closed.IsCompleted);
                _agents.Add(agent);
            }
        }

        public IReadOnlyList<PodAgent> Current()
        {
            lock (this)
            {
                return [.. _agents.Where(a => !a.Closed.IsCompleted && a.Baseline == Baseline)];
            }
        }

        public IReadOnlyList<PodAgent> All()
        {
            lock (this)
            {
                return [.. _agents];
            }
        }
    }
}
