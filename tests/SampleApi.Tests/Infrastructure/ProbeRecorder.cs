using System.Diagnostics;

namespace DevEnv.SampleApi.Tests.Infrastructure;

/// <summary>Polls an instance's probes (HTTP and the probe subcommand) on the shared test clock.</summary>
public sealed class ProbeRecorder(AppInstance instance, Stopwatch clock)
{
    /// <summary>Polls the probe <paramref name="path"/> on the management port, on fresh connections, until <paramref name="until"/>.</summary>
    public async Task<IReadOnlyList<RequestOutcome>> PollHttpAsync(string path, TimeSpan until, CancellationToken ct)
    {
        var results = new List<RequestOutcome>();
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero };
        using var client = new HttpClient(handler) { BaseAddress = instance.ManagementAddress, Timeout = TimeSpan.FromSeconds(5) };
        var recorder = new LoadGenerator(client, clock);
        while (clock.Elapsed < until)
        {
            results.Add(await recorder.SendAsync(path, ct));
            await Task.Delay(20, ct);
        }

        return results;
    }

    /// <summary>Runs <c>probe &lt;name&gt;</c> back to back until the instance has exited.</summary>
    public async Task<IReadOnlyList<(TimeSpan Started, TimeSpan Finished, CommandResult Result)>> RunProbeCommandUntilExitAsync(string name, CancellationToken ct)
    {
        var runs = new List<(TimeSpan, TimeSpan, CommandResult)>();
        while (!instance.HasExited)
        {
            var started = clock.Elapsed;
            var result = await instance.RunCommandAsync(["probe", name], ct);
            runs.Add((started, clock.Elapsed, result));
        }

        return runs;
    }
}
