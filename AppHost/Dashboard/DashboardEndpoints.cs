using System.Text.Json;
using DevEnv.AppHost.Orchestration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DevEnv.AppHost.Dashboard;

/// <summary>The dashboard's routes: pages, the resource list, the live feed, commands, login.</summary>
internal static class DashboardEndpoints
{
    public static void Map(IEndpointRouteBuilder app, DevEnvironment environment, DashboardAuth auth)
    {
        app.MapGet("/login", (HttpContext context, string? t) =>
        {
            if (!auth.Matches(t))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return WriteAssetAsync(context.Response, "token.html");
            }

            context.Response.Cookies.Append(DashboardAuth.CookieName, auth.Token, DashboardAuth.CookieOptions);
            // 303 so the token leaves the address bar and the history.
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = "/";
            return Task.CompletedTask;
        });

        app.MapGet("/", (HttpContext context) => WriteAssetAsync(context.Response, "index.html"));
        // Only the embedded assets by their plain names (no regex route constraint: the slim host leaves regex out).
        app.MapGet("/{file}", (HttpContext context, string file) =>
            file is "app.js" or "verification.js" or "app.css" or "favicon.svg" ? WriteAssetAsync(context.Response, file) : WriteNotFound(context.Response));

        app.MapGet("/api/resources", () => Results.Json(
            new
            {
                environment = environment.Settings.Name,
                resources = environment.Notifications.GetAll().Select(s => ResourceView.From(s, environment.CommandsOf(s.Name))),
                commands = environment.EnvironmentCommands.Select(c => new CommandView(c.Name, c.DisplayName)),
            },
            JsonSerializerOptions.Web));

        app.MapGet("/api/logs/{resource}", (string resource) =>
            environment.Resources.Any(r => r.Name == resource)
                ? Results.Json(environment.Logs.GetBacklog(resource), JsonSerializerOptions.Web)
                : Results.NotFound());

        app.MapGet("/api/stream", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            return TypedResults.ServerSentEvents(DashboardFeed.StreamAsync(environment, context.RequestAborted));
        });

        app.MapPost("/api/resources/{resource}/commands/{command}", (string resource, string command, HttpContext context) =>
            RunAsync(environment, resource, command, context));
        app.MapPost("/api/commands/{command}", (string command, HttpContext context) =>
            RunAsync(environment, null, command, context));
    }

    private static Task WriteNotFound(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    public static async Task WriteAssetAsync(HttpResponse response, string file)
    {
        var bytes = DashboardAssets.Get(file);
        if (bytes is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        response.ContentType = DashboardAssets.ContentType(file);
        response.Headers.CacheControl = "no-store";
        await response.Body.WriteAsync(bytes).ConfigureAwait(false);
    }

    private static async Task<IResult> RunAsync(DevEnvironment environment, string? resource, string command, HttpContext context)
    {
        Dictionary<string, string>? arguments = null;
        if (context.Request.ContentLength > 0)
        {
            try
            {
                arguments = await context.Request.ReadFromJsonAsync<Dictionary<string, string>>(JsonSerializerOptions.Web, context.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                return Results.BadRequest(new { success = false, message = $"The arguments are not a JSON object of strings: {ex.Message}" });
            }
        }

        // Commands outlive the browser tab that asked for them: a closed tab must not cancel a rollout.
        var result = await environment.ExecuteCommandAsync(resource, command, arguments, environment.Lifetime).ConfigureAwait(false);
        return Results.Json(result, JsonSerializerOptions.Web, statusCode: result.Success ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }
}
