using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DevEnv.Hosting.Application;

/// <summary>
/// Runs a reconciler under Aspire, as the custom resources in Aspire's own playground do: on
/// <see cref="InitializeResourceEvent"/> the resource gets its context, waits for what it was told to
/// <c>WaitFor</c> (Aspire's ordering, shown as Waiting), then starts in the background; its commands become dashboard
/// commands. Nothing here orders or draws anything itself.
/// </summary>
public static class ReconcilerHosting
{
    /// <summary>
    /// Subscribes the resource's start and registers its commands. <paramref name="start"/> replaces the reconciler's
    /// own StartAsync (a deployment starts from its project's pipeline); <paramref name="autoStart"/> false leaves it
    /// to a command or a verb.
    /// </summary>
    public static IResourceBuilder<T> WithReconciler<T>(
        this IResourceBuilder<T> builder,
        IReadOnlyList<CommandSpec> commands,
        Func<ResourceContext, CancellationToken, Task>? start = null,
        Func<bool>? autoStart = null)
        where T : IReconciledResource
    {
        var resource = builder.Resource;
        builder.ApplicationBuilder.Eventing.Subscribe<InitializeResourceEvent>(resource, (e, cancellationToken) =>
        {
            var console = e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DevEnv");
            var context = new ResourceContext(resource, e.Notifications, e.Logger, console: console) { Loggers = e.Services.GetRequiredService<ResourceLoggerService>() };
            resource.Context = context;
            var lifetime = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            if (autoStart?.Invoke() == false)
            {
                context.SetState(ResourceStates.Stopped, "not started by this verb");
                return Task.CompletedTask;
            }

            var run = start ?? resource.Reconciler.StartAsync;
            _ = Task.Run(() => RunAsync(context, run, e.Notifications, lifetime), CancellationToken.None);
            return Task.CompletedTask;
        });

        foreach (var command in commands)
        {
            builder.WithCommand(command.Name, command.DisplayName, ctx => ExecuteAsync(resource, command, ctx), new CommandOptions
            {
                Description = command.Description,
                IconName = command.IconName,
                ConfirmationMessage = command.ConfirmationMessage,
                Arguments = command.Arguments ?? [],
                IsHighlighted = command.Highlighted,
                // A command needs the resource initialized; while it is waiting for its dependencies it cannot act.
                UpdateState = _ => resource.Context is { } c && c.State is not (null or ResourceStates.Waiting)
                    ? ResourceCommandState.Enabled
                    : ResourceCommandState.Disabled,
            });
        }

        return builder;
    }

    /// <summary>Runs one of the resource's commands (dashboard, CLI verbs and tests alike).</summary>
    public static async Task<CommandResult> RunCommandAsync(IReconciledResource resource, CommandSpec spec, IReadOnlyDictionary<string, string> arguments, CancellationToken cancellationToken)
    {
        if (resource.Context is not { } context)
        {
            return CommandResult.Fail($"{resource.Name} is not initialized yet");
        }

        var execute = spec.Execute ?? resource.Reconciler.GetCommands(context).FirstOrDefault(c => c.Name == spec.Name)?.ExecuteAsync;
        if (execute is null)
        {
            return CommandResult.Fail($"{resource.Name} has no command '{spec.Name}'");
        }

        context.Log.Info($"> {spec.DisplayName}");
        try
        {
            var result = await execute(arguments, cancellationToken).ConfigureAwait(false);
            (result.Success ? (Action<string>)context.Log.Info : context.Log.Error)($"{spec.DisplayName}: {result.Message}");
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            context.Log.Error(ex.ToString());
            return CommandResult.Fail($"{spec.DisplayName} failed: {ErrorText.Describe(ex)}");
        }
    }

    private static async Task<ExecuteCommandResult> ExecuteAsync(IReconciledResource resource, CommandSpec spec, ExecuteCommandContext ctx)
    {
        var arguments = ctx.Arguments?.ToDictionary(a => a.Name, a => a.Value ?? "", StringComparer.Ordinal) ?? [];
        var result = await RunCommandAsync(resource, spec, arguments, ctx.CancellationToken).ConfigureAwait(false);
        return result switch
        {
            { Success: true, Details: { } details } => CommandResults.Success(result.Message, details, CommandResultFormat.Markdown),
            { Success: true } => CommandResults.Success(result.Message),
            { Details: { } details } => CommandResults.Failure(result.Message, details, CommandResultFormat.Markdown),
            _ => CommandResults.Failure(result.Message),
        };
    }

    private static async Task RunAsync(ResourceContext context, Func<ResourceContext, CancellationToken, Task> start, ResourceNotificationService notifications, CancellationToken lifetime)
    {
        try
        {
            var waits = context.Resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).ToArray();
            if (waits.Length > 0)
            {
                context.SetState(ResourceStates.Waiting, $"waiting for {string.Join(", ", waits)}");
                await notifications.WaitForDependenciesAsync(context.Resource, lifetime).ConfigureAwait(false);
            }

            await start(context, lifetime).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
            // The AppHost is stopping; what runs keeps running for a fast next start.
        }
        catch (Exception ex)
        {
            // Reconcilers set Failed with their own words; anything else still ends Failed, never stuck in Starting.
            if (context.State != ResourceStates.Failed)
            {
                context.SetState(ResourceStates.Failed, ErrorText.Describe(ex));
            }
        }
    }
}
