namespace DevEnv.AppHost.Tests.Resources.Diagnostics;

/// <summary>Four clients asking SampleApi's /version and / as fast as it answers, until disposed: the app is busy in its own code.</summary>
public sealed class Load : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Task[] _clients;
    private long _answered;

    /// <summary>Starts the clients against 127.0.0.1:<paramref name="port"/>.</summary>
    public Load(int port)
    {
        _clients = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            var url = new Uri($"http://127.0.0.1:{port}/{(i % 2 == 0 ? "version" : "")}");
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await _http.GetAsync(url, _stop.Token);
                    Interlocked.Increment(ref _answered);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // the app went away or the load stops
                }
            }
        })).ToArray();
    }

    /// <summary>Answers received so far.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        Task.WaitAll(_clients, TimeSpan.FromSeconds(10));
        _stop.Dispose();
        _http.Dispose();
    }
}
