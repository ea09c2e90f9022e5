using DevEnv.AppHost.Model;

namespace DevEnv.AppHost.Orchestration;

/// <summary>The commands half of <see cref="DevEnvironment"/>: what the dashboard's buttons and the CLI run.</summary>
public sealed partial class DevEnvironment
{
    private readonly Dictionary<string, IReadOnlyList<ResourceCommand>> _commands = new(StringComparer.Ordinal);
    private readonly List<(Resource Resource, Func<DevEnvironment, ResourceCommand> Create)> _extraCommands;

    /// <summary>Commands that act on the whole environment rather than one resource (tear down).</summary>
    public IReadOnlyList<ResourceCommand> EnvironmentCommands =>
    [
        new(CommandNames.TearDown, "Tear down", async (_, ct) =>
        {
            var errors = await DestroyAsync(purge: false, ct).ConfigureAwait(false);
            return errors.Count == 0
                ? CommandResult.Ok("Environment removed (the registry volume is kept).")
                : CommandResult.Fail(string.Join("; ", errors.Select(e => e.Message)));
        }),
    ];

    /// <summary>
    /// The commands of one resource: the ones it offers, plus start and stop where it does not offer its own.
    /// </summary>
    public IReadOnlyList<ResourceCommand> CommandsOf(string resourceName)
    {
        if (_commands.TryGetValue(resourceName, out var cached))
        {
            return cached;
        }

        var runner = Runner(resourceName);
        var own = runner.Resource.GetCommands(runner.Context)
            .Concat(_extraCommands.Where(e => e.Resource == runner.Resource).Select(e => e.Create(this)))
            .ToList();
        var commands = own.ToList();
        if (IsImage(runner.Resource))
        {
            // An image's own rebuild only builds; rebuild & deploy also rolls out what runs it, in order.
            commands.RemoveAll(c => c.Name == CommandNames.RebuildAndDeploy);
            commands.Add(new(CommandNames.RebuildAndDeploy, "Rebuild & deploy", async (_, ct) =>
                await RestartWithDependentsAsync(resourceName, ct, Lifetime).ConfigureAwait(false)
                    ? CommandResult.Ok($"{resourceName} rebuilt and rolled out.")
                    : CommandResult.Fail(FirstProblem(Graph.WithDependents(runner.Resource)) ?? "the rebuild did not finish")));
        }

        if (!own.Any(c => c.Name == CommandNames.Start))
        {
            commands.Add(new(CommandNames.Start, "Start", async (_, ct) =>
            {
                var snapshot = await RestartAsync(resourceName).WaitAsync(ct).ConfigureAwait(false);
                return ResourceStates.IsUsable(snapshot.State)
                    ? CommandResult.Ok($"{resourceName} is {snapshot.State}.")
                    : CommandResult.Fail($"{resourceName} is {snapshot.State}: {snapshot.Reason}");
            }));
        }

        if (!own.Any(c => c.Name == CommandNames.Stop))
        {
            commands.Add(new(CommandNames.Stop, "Stop", async (_, ct) =>
            {
                await runner.CancelAsync().WaitAsync(ct).ConfigureAwait(false);
                runner.Context.SetState(ResourceStates.Stopping);
                await runner.Resource.StopAsync(runner.Context, ct).ConfigureAwait(false);
                runner.Context.SetState(ResourceStates.Stopped, "stopped by the user");
                return CommandResult.Ok($"{resourceName} stopped.");
            }));
        }

        _commands[resourceName] = commands;
        return commands;
    }

    /// <summary>
    /// Runs a command by name on a resource, or on the environment when <paramref name="resourceName"/> is null.
    /// Failures come back as a failed <see cref="CommandResult"/> with the reason, never as an exception.
    /// </summary>
    public async Task<CommandResult> ExecuteCommandAsync(string? resourceName, string commandName, IReadOnlyDictionary<string, string>? arguments, CancellationToken cancellationToken)
    {
        IReadOnlyList<ResourceCommand> commands;
        try
        {
            commands = resourceName is null ? EnvironmentCommands : CommandsOf(resourceName);
        }
        catch (ArgumentException ex)
        {
            return CommandResult.Fail(ex.Message);
        }

        var command = commands.FirstOrDefault(c => c.Name == commandName);
        if (command is null)
        {
            var target = resourceName ?? "the environment";
            return CommandResult.Fail($"{target} has no command '{commandName}'. Available: {string.Join(", ", commands.Select(c => c.Name))}.");
        }

        var log = resourceName is null ? null : Runner(resourceName).Context.Log;
        log?.Info($"> {command.DisplayName}");
        try
        {
            var result = await command.ExecuteAsync(arguments ?? new Dictionary<string, string>(), cancellationToken).ConfigureAwait(false);
            var line = $"{command.DisplayName}: {result.Message}";
            if (result.Success)
            {
                log?.Info(line);
            }
            else
            {
                log?.Error(line);
            }

            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log?.Error(ex.ToString());
            return CommandResult.Fail($"{command.DisplayName} failed: {ErrorText.Describe(ex)}");
        }
    }

    /// <summary>
    /// The resource the source watcher rebuilds: the first of kind Image. Null when the environment builds nothing.
    /// </summary>
    public Resource? RebuildTarget => Resources.FirstOrDefault(IsImage);

    /// <summary>
    /// What a source change runs: rebuild the <see cref="RebuildTarget"/> and roll out what depends on it.
    /// <paramref name="buildToken"/> cancels the build (newer sources); <paramref name="cancellationToken"/> the rest.
    /// </summary>
    public async Task<bool> RebuildAndDeployAsync(CancellationToken buildToken, CancellationToken cancellationToken)
    {
        var target = RebuildTarget ?? throw new InvalidOperationException("Nothing to rebuild: no resource builds an image.");
        return await RestartWithDependentsAsync(target.Name, buildToken, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsImage(Resource resource) => string.Equals(resource.Kind, "Image", StringComparison.OrdinalIgnoreCase);

    private string? FirstProblem(IEnumerable<Resource> resources) => resources
        .Select(r => Notifications.Get(r.Name))
        .Where(s => !ResourceStates.IsUsable(s.State))
        .Select(s => $"{s.Name} is {s.State}: {s.Reason}")
        .FirstOrDefault();

    /// <summary>The first resource offering <paramref name="commandName"/> (e.g. which one verifies a rollout), or null.</summary>
    public Resource? FindResourceOffering(string commandName) =>
        Resources.FirstOrDefault(r => CommandsOf(r.Name).Any(c => c.Name == commandName));
}
