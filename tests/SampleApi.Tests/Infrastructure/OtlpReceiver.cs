using System.Collections.Concurrent;
using System.Net;

namespace DevEnv.SampleApi.Tests.Infrastructure;

/// <summary>
/// A small OTLP/HTTP receiver on 127.0.0.1: accepts <c>POST /v1/traces</c>, <c>/v1/metrics</c> and <c>/v1/logs</c>
/// (protobuf bodies, answered 200 with an empty body, which OTLP reads as full success) and records each body; answers
/// 404 to any other path or method, and records nothing for those.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private static readonly string[] Signals = ["traces", "metrics", "logs"];
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(string Signal, byte[] Body)> _received = new();
    private readonly ConcurrentQueue<string> _rejected = new();
    private readonly Task _loop;

    /// <summary>Listens on <paramref name="port"/> (a free one when null).</summary>
    public OtlpReceiver(int? port = null)
    {
        Port = port ?? FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        // HttpListener matches the Host header: an exporter using the default endpoint sends "localhost:4318".
        _listener.Prefixes.Add($"http://localhost:{Port}/");
        _listener.Start();
        _loop = LoopAsync();
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>The value for OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Bodies received for <paramref name="signal"/> (traces, metrics or logs).</summary>
    public IReadOnlyList<byte[]> Received(string signal) => [.. _received.Where(r => r.Signal == signal).Select(r => r.Body)];

    /// <summary>Every request received, accepted or not, as "METHOD /path".</summary>
    public IReadOnlyList<string> AllRequests => [.. _received.Select(r => $"POST /v1/{r.Signal}"), .. _rejected];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var context = await _listener.GetContextAsync();
            try
            {
                var path = context.Request.Url?.AbsolutePath ?? "";
                var signal = Signals.FirstOrDefault(s => path == $"/v1/{s}");
                if (context.Request.HttpMethod != "POST" || signal is null)
                {
                    _rejected.Enqueue($"{context.Request.HttpMethod} {path}");
                    context.Response.StatusCode = 404;
                }
                else
                {
                    using var body = new MemoryStream();
                    await context.Request.InputStream.CopyToAsync(body);
                    _received.Enqueue((signal, body.ToArray()));
                    context.Response.StatusCode = 200;
                    context.Response.ContentType = "application/x-protobuf";
                }

                context.Response.Close();
            }
            catch (HttpListenerException)
            {
                // The exporter gave up on this request.
            }
        }
    }
}
