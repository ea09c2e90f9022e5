using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Resources.PortForward;
using DevEnv.TelemetryReceiver.Protocol;

namespace DevEnv.Hosting.Resources.Telemetry.Receiver;

/// <summary>
/// The AppHost's end of the in-cluster path: a port-forward through the API server to the receiver pod's read port
/// (on 127.0.0.1, following the pod when it is replaced) and the reader that long-polls it and hands each OTLP request
/// to the dashboard's OTLP/HTTP endpoint with the dashboard's key. Runs until disposed.
/// </summary>
public sealed class ReceiverLink : IAsyncDisposable
{
    private readonly ManagedPortForward _forward;
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private Task _reading = Task.CompletedTask;

    /// <summary>A link to the pods matching <paramref name="selector"/> in <paramref name="namespace"/>, delivering to <paramref name="target"/>.</summary>
    public ReceiverLink(IPortForwardApi api, string @namespace, string selector, string readToken, DashboardOtlpTarget target, HttpClient? http = null)
    {
        // Port 0: the forward is the AppHost's own business, not a URL a user keeps; the system picks a free port.
        _forward = new ManagedPortForward(api, @namespace, selector, ReceiverProtocol.ReadPort, 0);
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        Reader = new ReceiverReader(_ => Task.FromResult(_forward.Url), readToken, target, _http);
    }

    /// <summary>The reader (its counters, its last problem, its Changed event).</summary>
    public ReceiverReader Reader { get; }

    /// <summary>The forward's local URL (127.0.0.1).</summary>
    public Uri ReadUrl => _forward.Url;

    /// <summary>Requests the dashboard accepted from this link, all signals together.</summary>
    public long Delivered => Enum.GetValues<TelemetrySignal>().Sum(Reader.Delivered);

    /// <summary>Opens the forward (lists the pods, listens) and starts reading.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _forward.StartAsync(cancellationToken).ConfigureAwait(false);
        _reading = Reader.RunAsync(_stop.Token);
    }

    /// <summary>Stops reading (what was not delivered stays in the receiver) and closes the forward.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _reading.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _forward.DisposeAsync().ConfigureAwait(false);
        if (_ownsHttp)
        {
            _http.Dispose();
        }

        _stop.Dispose();
    }
}
