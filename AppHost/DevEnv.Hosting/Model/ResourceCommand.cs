using System.Text.Json.Nodes;

namespace DevEnv.Hosting.Model;

/// <summary>
/// Something a user can ask a resource to do, from the dashboard or the console.
/// </summary>
/// <param name="Name">One of <see cref="CommandNames"/>.</param>
/// <param name="DisplayName">Button text.</param>
/// <param name="ExecuteAsync">Runs the command; the dictionary carries arguments such as "replicas".</param>
public sealed record ResourceCommand(
    string Name,
    string DisplayName,
    Func<IReadOnlyDictionary<string, string>, CancellationToken, Task<CommandResult>> ExecuteAsync);

/// <summary>The outcome of a <see cref="ResourceCommand"/>.</summary>
/// <param name="Success">Whether it worked.</param>
/// <param name="Message">What happened, in a sentence.</param>
/// <param name="Data">
/// Figures behind the message for the dashboard to draw (e.g. the rollout verification's timeline), or null.
/// </param>
public sealed record CommandResult(bool Success, string Message, JsonNode? Data = null)
{
    /// <summary>A longer result shown by the dashboard under the message (Markdown), e.g. verify-rollout's table.</summary>
    public string? Details { get; init; }

    /// <summary>A successful result.</summary>
    public static CommandResult Ok(string message) => new(true, message);
    /// <summary>A failed result.</summary>
    public static CommandResult Fail(string message) => new(false, message);
}
