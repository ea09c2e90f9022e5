using System.Diagnostics;
using DevEnv.AppHost.Tests.Support;
using DevEnv.Hosting.HotReload;

namespace DevEnv.AppHost.Tests.HotReload;

/// <summary>
/// Real SampleApi processes standing in for a Deployment's pods, started from dotnet-watch's build output with the SDK's
/// Hot Reload agent as a startup hook dialling <see cref="PodUpdateChannel"/>; a rolling replacement swaps them one at a
/// time, each new one in rotation once it answers (what readiness and the Service do).
/// </summary>
public sealed class ReplicaSet(string applier, PodUpdateChannel channel, ChannelKey key, string workload, string baseline) : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<Replica> _replicas = [];
    private int _next;

    /// <summary>The build replicas start from (a rolling replacement starts the one set here).</summary>
    public required string Executable { get; set; }

    /// <summary>One running replica.</summary>
    public sealed record Replica(ChildProcess Process, Uri Address, DateTime Started);

    /// <summary>The replicas in rotation now.</summary>
    public IReadOnlyList<Replica> InRotation
    {
        get
        {
            lock (_gate)
            {
                return [.. _replicas];
            }
        }
    }

    /// <summary>The next replica in rotation (round robin, as a Service spreads new connections).</summary>
    public Uri NextAddress()
    {
        lock (_gate)
        {
            return _replicas[_next++ % _replicas.Count].Address;
        }
    }

    /// <summary>Starts a replica and puts it in rotation once it answers.</summary>
    public async Task<Replica> AddAsync(CancellationToken cancellationToken)
    {
        var replica = await StartAsync(cancellationToken);
        lock (_gate)
        {
            _replicas.Add(replica);
        }

        return replica;
    }

    /// <summary>Replaces every replica, one at a time: the new one joins once it answers, then the old one leaves and stops.</summary>
    public async Task RollAsync(CancellationToken cancellationToken)
    {
        foreach (var old in InRotation)
        {
            var fresh = await StartAsync(cancellationToken);
            lock (_gate)
            {
                _replicas.Add(fresh);
                _replicas.Remove(old);
            }

            // Requests already sent to the old one finish first (the drain a preStop gives a pod).
            await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
            await old.Process.DisposeAsync();
        }
    }

    private async Task<Replica> StartAsync(CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var process = ChildProcess.Start(Executable, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Probe__Port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Probe__StateDirectory"] = Directory.CreateTempSubdirectory("devenv-hr-probe-").FullName,
            ["DOTNET_MODIFIABLE_ASSEMBLIES"] = "debug",
            ["DOTNET_STARTUP_HOOKS"] = applier,
            ["DOTNET_WATCH_HOTRELOAD_WEBSOCKET_ENDPOINT"] = channel.UrlFor(workload, baseline),
            ["DOTNET_WATCH_HOTRELOAD_WEBSOCKET_KEY"] = key.PublicKey,
            ["HOTRELOAD_DELTA_CLIENT_LOG_MESSAGES"] = "[agent]",
        });
        var started = Process.GetProcessById(process.Pid).StartTime;
        var address = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await http.GetAsync(address, cancellationToken)).IsSuccessStatusCode)
                {
                    return new Replica(process, address, started);
                }
            }
            catch (HttpRequestException)
            {
            }

            if (clock.Elapsed > TimeSpan.FromMinutes(2))
            {
                var output = process.Output;
                await process.DisposeAsync();
                Assert.Fail($"replica on {address} did not answer within 2 min:\n{output}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var replica in InRotation)
        {
            await replica.Process.DisposeAsync();
        }
    }
}
