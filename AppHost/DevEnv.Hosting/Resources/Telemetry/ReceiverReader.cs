using System.Globalization;
using System.Net.Http.Headers;
using DevEnv.TelemetryReceiver.Protocol;

namespace DevEnv.Hosting.Resources.Telemetry;

/// <summary>
/// Reads the in-cluster receiver's buffer (long-polling its read port, reached through the API server's port-forward or,
/// where the receiver runs on this host, directly) and posts each OTLP request as it came to the Aspire dashboard's
/// OTLP/HTTP endpoint on 127.0.0.1 with the dashboard's API key, which therefore never leaves this host. An entry is
/// released in the receiver only by the next read naming it, after the dashboard took it: nothing fetched is lost when
/// the dashboard or the connection goes away mid-batch.
/// </summary>
public sealed class ReceiverReader(Func<CancellationToken, Task<Uri>> readEndpoint, string readToken, DashboardOtlpTarget target, HttpClient http)
{
    /// <summary>How long one read waits in the receiver for something to arrive.</summary>
    public static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly long[] _delivered = new long[4];
    private string _instance = "";
    private long _after;

    /// <summary>The receiver's counters as of the last read; null before the first.</summary>
    public ReceiverCounters? Counters { get; private set; }

    /// <summary>Why the last read or delivery failed; null after one that worked.</summary>
    public string? Problem { get; private set; }

    /// <summary>Raised after each read that worked (the counters) or failed (<see cref="Problem"/>): the resource's state shows it.</summary>
    public event Action<ReceiverReader>? Changed;

    /// <summary>OTLP requests of <paramref name="signal"/> the dashboard has accepted from this reader.</summary>
    internal long Delivered(TelemetrySignal signal) => Interlocked.Read(ref _delivered[(int)signal]);

    /// <summary>Reads and delivers until cancelled; a failure is reported through <see cref="Problem"/> and retried after a second.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ReadOnceAsync(LongPoll, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // stopped (the AppHost exits): what was not delivered stays in the receiver
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidDataException or ReceiverReadException
                || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                Problem = ex is ReceiverReadException ? ex.Message : $"cannot read the telemetry receiver: {ex.Message}";
                Changed?.Invoke(this);
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>One read (waiting up to <paramref name="wait"/> for an entry) and its delivery; the number of entries delivered.</summary>
    public async Task<int> ReadOnceAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var endpoint = await readEndpoint(cancellationToken).ConfigureAwait(false);
        var query = string.Create(CultureInfo.InvariantCulture, $"{ReceiverProtocol.ReadPath}?instance={Uri.EscapeDataString(_instance)}&after={_after}&wait={(int)wait.TotalSeconds}");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, query));
        request.Headers.Add(ReceiverProtocol.TokenHeader, readToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait + TimeSpan.FromSeconds(15));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new ReceiverReadException($"the telemetry receiver refused the read ({(int)response.StatusCode}){(response.StatusCode == System.Net.HttpStatusCode.Unauthorized ? ": the read token does not match the receiver's Secret" : "")}");
        }

        var counters = ReceiverCounters.From(response.Headers);
        if (counters.Instance != _instance)
        {
            // A new receiver process (its pod was replaced): its numbering starts again.
            _instance = counters.Instance;
            _after = 0;
        }

        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        var entries = await BatchFormat.ReadAsync(body, timeout.Token).ConfigureAwait(false);
        Counters = counters;
        foreach (var entry in entries)
        {
            await DeliverAsync(entry, cancellationToken).ConfigureAwait(false);
            _after = entry.Sequence;
            Interlocked.Increment(ref _delivered[(int)entry.Signal]);
        }

        Problem = null;
        Changed?.Invoke(this);
        return entries.Count;
    }

    private async Task DeliverAsync(BatchEntry entry, CancellationToken cancellationToken)
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(target.Url, entry.Path));
        var content = new ReadOnlyMemoryContent(entry.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue(entry.ContentType);
        if (entry.ContentEncoding.Length > 0)
        {
            content.Headers.ContentEncoding.Add(entry.ContentEncoding);
        }

        post.Content = content;
        if (target.ApiKey is { } key)
        {
            post.Headers.Add("x-otlp-api-key", key);
        }

        using var response = await http.SendAsync(post, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // Kept in the receiver: the next read starts again at this entry.
            throw new ReceiverReadException($"the dashboard at {target.Url} refused the pods' telemetry ({(int)response.StatusCode}); kept in the receiver, retried");
        }
    }
}
