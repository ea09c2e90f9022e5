using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace DevEnv.ServiceDefaults.Health;

/// <summary>Writes a short JSON body: <c>{"status":"Unhealthy","checks":{"draining":"Unhealthy"}}</c>.</summary>
internal static class HealthResponseWriter
{
    public static async Task WriteAsync(HttpContext context, bool healthy, IEnumerable<(string Name, string Status)> checks)
    {
        context.Response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json; charset=utf-8";
        // Probes must see the state of now, never a cached answer.
        context.Response.Headers.CacheControl = "no-store";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", healthy ? "Healthy" : "Unhealthy");
            json.WriteStartObject("checks");
            foreach (var (name, status) in checks)
            {
                json.WriteString(name, status);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted);
    }
}
