using System.Net;
using System.Text.Json;
using DevEnv.AppHost.Orchestration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DevEnv.AppHost.Dashboard;

/// <summary>
/// The web dashboard: Kestrel in-process on <c>BindAddress:DashboardPort</c>, minimal APIs, embedded static
/// pages and one server-sent-events feed. Reads the model through <see cref="DevEnvironment"/>; commands go
/// back through <see cref="DevEnvironment.ExecuteCommandAsync"/>.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly DevEnvironment _environment;
    private readonly WebApplication _app;

    /// <summary>Prepares the dashboard for <paramref name="environment"/>; <paramref name="port"/> overrides the settings (0 picks a free port).</summary>
    public DashboardServer(DevEnvironment environment, DashboardAuth? auth = null, int? port = null)
    {
        _environment = environment;
        Auth = auth ?? new DashboardAuth();
        var settings = environment.Settings;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        // The console belongs to the AppHost's own progress output; Kestrel's chatter stays out of it.
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
        builder.WebHost.UseKestrel(kestrel =>
        {
            var listenPort = port ?? settings.DashboardPort;
            if (IPAddress.TryParse(settings.BindAddress, out var address))
            {
                kestrel.Listen(address, listenPort);
            }
            else
            {
                kestrel.ListenLocalhost(listenPort);
            }
        });
        _app = builder.Build();
        _app.Use(GuardAsync);
        DashboardEndpoints.Map(_app, environment, Auth);
    }

    /// <summary>The guard holding the login token.</summary>
    public DashboardAuth Auth { get; }

    /// <summary>The base URL, e.g. http://127.0.0.1:18888 (known after <see cref="StartAsync"/>).</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The ready-to-click URL that logs the browser in.</summary>
    public Uri LoginUrl => new(BaseUrl, $"login?t={Uri.EscapeDataString(Auth.Token)}");

    /// <summary>Starts listening; throws with an actionable message when the port is taken.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"The dashboard could not listen on {_environment.Settings.BindAddress}:{_environment.Settings.DashboardPort} ({ex.Message}). " +
                "Is another AppHost running? Stop it, or pick another port with DEVENV_DASHBOARD_PORT.", ex);
        }

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(address);
        // Show the name the user typed in settings (127.0.0.1), never a wildcard.
        BaseUrl = new Uri($"http://{(uri.Host is "0.0.0.0" or "[::]" ? "127.0.0.1" : uri.Host)}:{uri.Port}/");
    }

    /// <summary>Stops listening; open event streams end.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);

    private async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var response = context.Response;
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["X-Frame-Options"] = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";
        if (!DashboardAuth.IsAllowedHost(request, _environment.Settings.BindAddress))
        {
            response.StatusCode = StatusCodes.Status400BadRequest;
            await response.WriteAsync("Unknown host name; open the dashboard at its 127.0.0.1 address.").ConfigureAwait(false);
            return;
        }

        var path = request.Path.Value ?? "/";
        if (path is "/login" or "/favicon.svg" or "/app.css")
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (!Auth.IsAuthenticated(request))
        {
            response.StatusCode = StatusCodes.Status401Unauthorized;
            if (path.StartsWith("/api/", StringComparison.Ordinal))
            {
                await response.WriteAsJsonAsync(new { error = "token required: open the login URL printed in the AppHost's console" }, JsonSerializerOptions.Web).ConfigureAwait(false);
            }
            else
            {
                await DashboardEndpoints.WriteAssetAsync(response, "token.html").ConfigureAwait(false);
            }

            return;
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !DashboardAuth.IsSameOrigin(request))
        {
            response.StatusCode = StatusCodes.Status403Forbidden;
            await response.WriteAsJsonAsync(new { error = "cross-origin request refused" }, JsonSerializerOptions.Web).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }
}
