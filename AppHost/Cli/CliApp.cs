using System.Runtime.InteropServices;
using DevEnv.AppHost.Orchestration;

namespace DevEnv.AppHost.Cli;

/// <summary>
/// The AppHost's command line: <c>return await builder.Build().RunAsync(args);</c>. Parses the verb, wires
/// Ctrl+C to a clean stop, and turns expected failures into one actionable message and a non-zero exit code
/// (set DEVENV_DEBUG=1 for the stack trace).
/// </summary>
public static class CliApp
{
    /// <summary>Exit code when the command line is wrong.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code after Ctrl+C interrupted a verb before it finished.</summary>
    public const int Interrupted = 130;

    /// <summary>Runs the verb named in <paramref name="args"/> on the process console, with Ctrl+C wired up.</summary>
    public static async Task<int> RunAsync(this DevEnvironment environment, string[] args)
    {
        using var ctrlC = new CancellationTokenSource();
        // Ctrl+C (SIGINT) and SIGTERM ask for a clean stop; a second signal is the default hard exit.
        void OnSignal(PosixSignalContext context)
        {
            if (!ctrlC.IsCancellationRequested)
            {
                context.Cancel = true;
                ctrlC.Cancel();
            }
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            return await environment.RunAsync(args, CliConsole.System(), ctrlC.Token).ConfigureAwait(false);
        }
        finally
        {
            await environment.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Runs the verb named in <paramref name="args"/> writing to <paramref name="console"/> (tests call this).</summary>
    public static async Task<int> RunAsync(this DevEnvironment environment, IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        CliOptions options;
        try
        {
            options = CliOptions.Parse(args);
        }
        catch (UsageException ex)
        {
            await console.Error.WriteLineAsync($"error: {ex.Message}\n\n{CliOptions.Usage}").ConfigureAwait(false);
            return UsageError;
        }

        try
        {
            return options.Verb switch
            {
                "help" => await WriteUsageAsync(console).ConfigureAwait(false),
                "up" => await UpVerb.RunAsync(environment, options, console, cancellationToken).ConfigureAwait(false),
                "down" => await DownVerb.RunAsync(environment, options, console, cancellationToken).ConfigureAwait(false),
                "status" => await StatusVerb.RunAsync(environment, console, cancellationToken).ConfigureAwait(false),
                "manifests" => await ManifestsVerb.RunAsync(environment, console).ConfigureAwait(false),
                "build" => await BuildVerb.RunAsync(environment, console, cancellationToken).ConfigureAwait(false),
                "verify-rollout" => await VerifyRolloutVerb.RunAsync(environment, options.VerifyRollout ?? new VerifyRolloutFlags(), console, cancellationToken).ConfigureAwait(false),
                _ => throw new UsageException($"Unknown verb '{options.Verb}'."),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync($"Interrupted: '{options.Verb}' stopped before it finished. It is safe to run it again.").ConfigureAwait(false);
            return Interrupted;
        }
        catch (Exception ex)
        {
            var debug = Environment.GetEnvironmentVariable("DEVENV_DEBUG") is "1" or "true";
            await console.Error.WriteLineAsync($"error: {options.Verb} failed: {(debug ? ex.ToString() : ErrorText.Describe(ex))}").ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task<int> WriteUsageAsync(CliConsole console)
    {
        await console.Out.WriteLineAsync(CliOptions.Usage).ConfigureAwait(false);
        return 0;
    }
}
