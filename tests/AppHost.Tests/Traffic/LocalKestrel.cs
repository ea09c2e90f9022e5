using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;
using System.Net;

namespace DevEnv.AppHost.Tests.Traffic;

/// <summary>A real Kestrel on 127.0.0.1 and a random port, with the paths the load tests need.</summary>
internal sealed class LocalKestrel : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalKestrel(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Distinct connection ids seen (keep-alive reuses them, Connection: close does not).</summary>
    public ConcurrentDictionary<string, int> Connections { get; } = new();

    public static async Task<LocalKestrel> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        LocalKestrel? self = null;
        app.Use(async (context, next) =>
        {
            self!.Connections.AddOrUpdate(context.Connection.Id, 1, (_, n) => n + 1);
            await next(context);
        });
        app.MapGet("/", () => "ok");
        app.MapGet("/status/{code:int}", (int code) => Results.StatusCode(code));
        app.MapGet("/work", async (int ms, CancellationToken ct) =>
        {
            await Task.Delay(ms, ct);
            return "done";
        });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        self = new LocalKestrel(app, new Uri(address));
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(deadline.Token);
        await _app.DisposeAsync();
    }
}
