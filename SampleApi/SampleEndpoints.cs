using System.Globalization;
using System.Reflection;

namespace DevEnv.SampleApi;

/// <summary>The sample's own endpoints: hello, simulated work, version.</summary>
public static class SampleEndpoints
{
    /// <summary>Upper bound of <c>/work?ms=</c> (one minute).</summary>
    public const int MaxWorkMs = 60_000;

    /// <summary>Environment variable carrying the image tag, set by the deployment.</summary>
    public const string ImageTagVariable = "APP_IMAGE_TAG";

    /// <summary>Maps GET /, GET /work?ms=N and GET /version.</summary>
    public static IEndpointRouteBuilder MapSampleEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => "Hello, World!");
        endpoints.MapGet("/work", WorkAsync);
        endpoints.MapGet("/version", () => TypedResults.Ok(new VersionInfo(
            BuildVersion(),
            Environment.GetEnvironmentVariable(ImageTagVariable) is { Length: > 0 } tag ? tag : null)));
        return endpoints;
    }

    // `ms` is taken as text so that every bad value gets the same problem-details answer.
    private static async Task<IResult> WorkAsync(string? ms, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!int.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var duration) || duration > MaxWorkMs)
        {
            return TypedResults.Problem(
                title: "Invalid work duration",
                detail: $"Query parameter 'ms' must be a whole number of milliseconds from 0 to {MaxWorkMs}; got '{ms}'.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        // Simulated work; it ends early only when the client goes away.
        await Task.Delay(TimeSpan.FromMilliseconds(duration), time, cancellationToken);
        return TypedResults.Text($"Worked {duration} ms");
    }

    private static string BuildVersion() =>
        typeof(SampleEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(SampleEndpoints).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
