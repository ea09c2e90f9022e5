using Aspire.Hosting;
using DevEnv.Hosting.Model;

namespace DevEnv.Hosting.Application;

/// <summary>How a reconciler's command shows in the dashboard.</summary>
/// <param name="Name">The command's name (see <see cref="Model.CommandNames"/>).</param>
/// <param name="DisplayName">The button's text.</param>
/// <param name="Description">The tooltip.</param>
/// <param name="IconName">A Fluent UI icon name.</param>
/// <param name="ConfirmationMessage">Asked before it runs, for commands that remove or restart something.</param>
/// <param name="Arguments">Inputs the dashboard asks for (the scale count).</param>
/// <param name="Highlighted">Shown as a button on the resource's row, not only in its menu.</param>
/// <param name="Execute">What runs instead of the reconciler's command of that name (rebuild &amp; deploy spans two resources).</param>
public sealed record CommandSpec(
    string Name,
    string DisplayName,
    string Description,
    string IconName,
    string? ConfirmationMessage = null,
    IReadOnlyList<InteractionInput>? Arguments = null,
    bool Highlighted = false,
    Func<IReadOnlyDictionary<string, string>, CancellationToken, Task<CommandResult>>? Execute = null);
