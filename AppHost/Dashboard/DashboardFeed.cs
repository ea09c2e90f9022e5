using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using DevEnv.AppHost.Orchestration;

namespace DevEnv.AppHost.Dashboard;

/// <summary>
/// The live feed behind the dashboard's server-sent events: every resource snapshot (replayed first, then each
/// change) and every log line of every resource (backlog first), merged into one stream of events
/// "resource", "log" and a periodic "ping" that keeps proxies and the browser's connection honest.
/// </summary>
internal static class DashboardFeed
{
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(15);

    public static async IAsyncEnumerable<SseItem<string>> StreamAsync(DevEnvironment environment, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, environment.Lifetime);
        var channel = Channel.CreateBounded<SseItem<string>>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.Wait });
        var producers = new List<Task>
        {
            Task.Run(async () =>
            {
                await foreach (var snapshot in environment.Notifications.WatchAsync(stop.Token))
                {
                    var view = ResourceView.From(snapshot, environment.CommandsOf(snapshot.Name));
                    await channel.Writer.WriteAsync(new SseItem<string>(JsonSerializer.Serialize(view, JsonSerializerOptions.Web), "resource"), stop.Token);
                }
            }),
            Task.Run(async () =>
            {
                while (true)
                {
                    await Task.Delay(PingInterval, environment.Time, stop.Token);
                    await channel.Writer.WriteAsync(new SseItem<string>("{}", "ping"), stop.Token);
                }
            }),
        };
        producers.AddRange(environment.Resources.Select(resource => Task.Run(async () =>
        {
            await foreach (var line in environment.Logs.WatchAsync(resource.Name, stop.Token))
            {
                await channel.Writer.WriteAsync(new SseItem<string>(JsonSerializer.Serialize(line, JsonSerializerOptions.Web), "log"), stop.Token);
            }
        })));
        _ = Task.WhenAll(producers).ContinueWith(t => channel.Writer.TryComplete(), TaskScheduler.Default);

        await using var registration = stop.Token.Register(() => channel.Writer.TryComplete());
        yield return new SseItem<string>(JsonSerializer.Serialize(new { environment = environment.Settings.Name }, JsonSerializerOptions.Web), "hello");
        await foreach (var item in channel.Reader.ReadAllAsync(CancellationToken.None))
        {
            yield return item;
        }
    }
}
