using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DevEnv.Hosting.Model;

/// <summary>
/// A resource's console log: lines written here appear under the resource in the Aspire dashboard (its
/// ResourceLoggerService logger) and, for the CLI verbs, on the console.
/// </summary>
public sealed class ResourceLog(ILogger logger)
{
    /// <summary>A log that discards everything.</summary>
    public static ResourceLog None { get; } = new(NullLogger.Instance);

    /// <summary>Writes an information line.</summary>
    public void Info(string text) => logger.LogInformation("{Line}", text);

    /// <summary>Writes an error line (shown in red).</summary>
    public void Error(string text) => logger.LogError("{Line}", text);
}
