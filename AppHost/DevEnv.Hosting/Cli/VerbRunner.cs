using System.Runtime.InteropServices;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Application;
using Microsoft.Extensions.DependencyInjection;

namespace DevEnv.Hosting.Cli;

/// <summary>Runs the verb of a DevEnv AppHost process on its Aspire application.</summary>
public static class VerbRunner
{
    /// <summary>Exit code for a command line that was not understood.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code when Ctrl+C stopped a verb before it finished.</summary>
    public const int Interrupted = 130;

    /// <summary>Runs the verb the command line asked for and returns the process exit code.</summary>
    public static async Task<int> RunAsync(DistributedApplication app, CliConsole console)
    {
        var devenv = app.Services.GetRequiredService<DevEnvServices>();
        var options = devenv.Options;
        if (options.Error is { } error)
        {
            await console.Error.WriteLineAsync($"error: {error}\n\n{CliOptions.Usage}").ConfigureAwait(false);
            return UsageError;
        }

        if (options.Verb == "help")
        {
            await console.Out.WriteLineAsync(CliOptions.Usage).ConfigureAwait(false);
            return 0;
        }

        using var ctrlC = new CancellationTokenSource();
        // Aspire handles Ctrl+C for `up`; the verbs that run without it stop cleanly on the first signal.
        void OnSignal(PosixSignalContext context)
        {
            if (options.Verb != "up" && !ctrlC.IsCancellationRequested)
            {
                context.Cancel = true;
                ctrlC.Cancel();
            }
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        var model = new EnvironmentModel(app, devenv, console);
        try
        {
            return options.Verb switch
            {
                "up" => await UpVerb.RunAsync(app, model, ctrlC.Token).ConfigureAwait(false),
                "build" => await BuildVerb.RunAsync(app, model, ctrlC.Token).ConfigureAwait(false),
                "status" => await StatusVerb.RunAsync(model, ctrlC.Token).ConfigureAwait(false),
                "down" => await DownVerb.RunAsync(model, ctrlC.Token).ConfigureAwait(false),
                "manifests" => await ManifestsVerb.RunAsync(model).ConfigureAwait(false),
                "verify-rollout" => await VerifyRolloutVerb.RunAsync(model, options.VerifyRollout ?? new VerifyRolloutFlags(), ctrlC.Token).ConfigureAwait(false),
                _ => throw new UsageException($"Unknown verb '{options.Verb}'."),
            };
        }
        catch (OperationCanceledException) when (ctrlC.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync($"Interrupted: '{options.Verb}' stopped before it finished. It is safe to run it again.").ConfigureAwait(false);
            return Interrupted;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var debug = Environment.GetEnvironmentVariable("DEVENV_DEBUG") is "1" or "true";
            await console.Error.WriteLineAsync($"error: {options.Verb} failed: {(debug ? ex.ToString() : ErrorText.Describe(ex))}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>The states of the given resources, one line each, as Aspire's notification service has them.</summary>
    public static async Task WriteSummaryAsync(ResourceNotificationService notifications, IEnumerable<IResource> resources, TextWriter writer)
    {
        foreach (var resource in resources)
        {
            var snapshot = notifications.TryGetCurrentState(resource.Name, out var e) ? e.Snapshot : null;
            var state = snapshot?.State?.Text ?? "Unknown";
            var reason = snapshot?.Properties.FirstOrDefault(p => p.Name == Model.ResourceContext.ReasonProperty)?.Value;
            await writer.WriteLineAsync($"  {resource.Name,-22} {state,-11} {reason}").ConfigureAwait(false);
        }
    }
}
