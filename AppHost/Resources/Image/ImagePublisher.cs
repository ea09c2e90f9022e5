using System.Diagnostics;
using DevEnv.AppHost.Clients.Process;
using DevEnv.AppHost.Model;

namespace DevEnv.AppHost.Resources.Image;

/// <summary>
/// Runs <c>dotnet publish -t:PublishContainer</c> (the SDK builds the image and pushes it straight to the registry,
/// no daemon and no Dockerfile) through the process runner, timing the compile/trim and the image/push phases.
/// </summary>
public sealed class ImagePublisher(IProcessRunner runner, TimeProvider time)
{
    /// <summary>What a publish produced: phase times and the blobs it uploaded.</summary>
    public sealed record Outcome(TimeSpan PublishTime, TimeSpan PushTime, IReadOnlyCollection<string> UploadedDigests, DateTimeOffset PublishedAt);

    /// <summary>The command for publishing <paramref name="projectFile"/> as registry/repository:tag on <paramref name="baseImage"/>.</summary>
    public static ProcessSpec Command(string projectFile, string registry, string repository, string tag, string baseImage, ImageBuildOptions options) =>
        new("dotnet",
        [
            "publish", projectFile, .. options.ToArguments(),
            // One publish folder per option set: publish copies a file only when it is newer, so switching between
            // trimmed and untrimmed in one folder keeps stale trimmed framework files and the app fails at start-up.
            $"-p:PublishDir={Path.Combine(Path.GetDirectoryName(projectFile) ?? ".", "bin", "devenv", options.Key)}/",
            "-t:PublishContainer",
            $"-p:ContainerRegistry={registry}",
            $"-p:ContainerRepository={repository}",
            $"-p:ContainerImageTags={tag}",
            $"-p:ContainerBaseImage={baseImage}",
            "-tl:off", "-nologo", "-v:m", "-clp:NoSummary",
        ])
        {
            WorkingDirectory = Path.GetDirectoryName(projectFile),
            Environment = new Dictionary<string, string?>
            {
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_NOLOGO"] = "1",
                // The trimmer (a ~12 s single-threaded run, most of a warm rebuild) spends 10-15% of its CPU on dynamic
                // PGO's instrumentation, which never pays back in a process that short. Inherited by MSBuild's children.
                ["DOTNET_TieredPGO"] = "0",
            },
        };

    /// <summary>Runs the publish; <paramref name="onImageStarted"/> fires when compile and trim are done and the push begins.</summary>
    public async Task<Outcome> RunAsync(ProcessSpec command, ResourceLog log, Action onImageStarted, CancellationToken cancellationToken)
    {
        var output = new PublishOutput();
        var clock = Stopwatch.StartNew();
        var publishTime = TimeSpan.Zero;
        DateTimeOffset publishedAt = default;
        var result = await runner.RunAsync(command, log, cancellationToken, (line, _) =>
        {
            lock (output)
            {
                if (output.Read(line))
                {
                    publishTime = clock.Elapsed;
                    publishedAt = time.GetUtcNow();
                    onImageStarted();
                }
            }
        }).ConfigureAwait(false);

        if (result.ExitCode != 0)
        {
            var errors = output.Errors.Count > 0 ? output.Errors : result.StandardError.Concat(result.StandardOutput).TakeLast(10).ToList();
            throw new ImageBuildFailedException(
                $"dotnet publish failed (exit code {result.ExitCode}):\n" + string.Join('\n', errors.Take(20).Select(e => "  " + e)) + $"\nCommand: {command}",
                new ProcessFailedException(result));
        }

        if (!output.Pushed)
        {
            throw new ImageBuildFailedException($"dotnet publish finished but did not report a pushed image. Command: {command}");
        }

        return new Outcome(publishTime, clock.Elapsed - publishTime, output.UploadedDigests.ToArray(), publishedAt);
    }
}
