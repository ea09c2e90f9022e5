using System.Net;

namespace DevEnv.SampleApi.Tests.Infrastructure;

/// <summary>
/// A downstream dependency on 127.0.0.1 that answers <c>GET /</c> with 200 after <see cref="Delay"/>, and 404 to
/// anything else. Counts the requests it got.
/// </summary>
public sealed class DelayedHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    public DelayedHttpServer(TimeSpan delay)
    {
        Delay = delay;
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = LoopAsync();
    }

    /// <summary>How long each answer takes.</summary>
    public TimeSpan Delay { get; }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>http://127.0.0.1:port.</summary>
    public string BaseAddress => $"http://127.0.0.1:{Port}";

    /// <summary>Requests received so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

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
            Interlocked.Increment(ref _requests);
            _ = AnswerAsync(context);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            if (context.Request.HttpMethod != "GET" || context.Request.Url?.AbsolutePath != "/")
            {
                context.Response.StatusCode = 404;
            }
            else
            {
                await Task.Delay(Delay, _stop.Token);
                context.Response.StatusCode = 200;
            }

            context.Response.Close();
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException)
        {
            // Disposed, or the client gave up.
        }
    }
}
