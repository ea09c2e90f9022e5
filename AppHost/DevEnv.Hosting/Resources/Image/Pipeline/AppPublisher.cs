using System.Diagnostics;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;

namespace DevEnv.Hosting.Resources.Image.Pipeline;

/// <summary>
/// Runs <c>dotnet publish</c> of the app into its own folder (one per option set) and asks MSBuild, in the same run, for
/// the publish items and their metadata as JSON: nothing is read from MSBuild's messages but the error lines of a
/// failed build. The folder is emptied first, because publish only adds and overwrites files: what is in it afterwards
/// is exactly this publish's output. Editors' lock, swap and backup files are kept out of the default items
/// (<see cref="EditorFilesProps"/>): emacs' lock for Program.cs is a dangling symlink named .#Program.cs, which the
/// default Compile glob would hand to the compiler (CS2001, a failed build for a file nobody wrote). Builds go through
/// the MSBuild server unless the environment (the AppHost's own when none is given) says otherwise.
/// </summary>
public sealed class AppPublisher(IProcessRunner runner, Func<string, string?>? environment = null)
{
    /// <summary>
    /// The command that publishes <paramref name="projectFile"/> into <paramref name="publishDir"/> and writes the items to
    /// <paramref name="itemsFile"/>. <paramref name="environment"/> is the AppHost's own (the process environment when null).
    /// </summary>
    public static ProcessSpec Command(string projectFile, ImageBuildOptions options, string publishDir, string itemsFile, Func<string, string?>? environment = null) =>
        new("dotnet",
        [
            "publish", projectFile, .. options.ToArguments(),
            // Imported by Microsoft.Common.props of every project in the build (a global property reaches ProjectReferences).
            $"-p:CustomBeforeMicrosoftCommonProps={Path.Combine(Path.GetDirectoryName(itemsFile)!, EditorFilesPropsName)}",
            $"-p:PublishDir={publishDir.TrimEnd('/')}/",
            // Each option set builds in folders of its own (relative, so each project of the build gets its own): the
            // trimmer's incremental check compares files only, so a trimmer-only property change (TrimMode, a feature
            // switch) in a shared obj/ would reuse the other option set's trimmed framework under a new tag. The image of
            // dotnet-watch's build reads that build's own (default) folders instead.
            .. options.FromWatchBuild ? Array.Empty<string>() :
            [
                $"-p:IntermediateOutputPath={BuildFolder(options, "msbuild")}",
                $"-p:OutputPath={BuildFolder(options, "build")}",
            ],
            "-getItem:ResolvedFileToPublish,ResolvedRuntimePack",
            "-getProperty:AppHostIntermediatePath",
            $"-getResultOutputFile:{itemsFile}",
            "-tl:off", "-nologo", "-v:m", "-clp:NoSummary",
        ])
        {
            WorkingDirectory = Path.GetDirectoryName(projectFile),
            Environment = new Dictionary<string, string?>(BuildServer(environment ?? System.Environment.GetEnvironmentVariable))
            {
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_NOLOGO"] = "1",
                // The only text we read is the error lines of a failed build; keep them in the form we look for.
                ["DOTNET_CLI_UI_LANGUAGE"] = "en",
                // The trimmer (a ~12 s single-threaded run, most of a warm rebuild) spends 10-15% of its CPU on dynamic
                // PGO's instrumentation, which never pays back in a process that short. Inherited by MSBuild's children.
                ["DOTNET_TieredPGO"] = "0",
            },
        };

    // The watcher publishes again on every save, which is what the MSBuild server is for: it keeps MSBuild loaded and
    // JIT-compiled between builds (a one-line fast publish on 2 cores: 3.1 s without it, 2.2 s with it). Aspire turns it
    // on for its own builds, and .NET 11 by default; it shuts itself down after 15 idle minutes. A value the user set
    // (the CLI's variable or MSBuild's own) is theirs and is inherited unchanged.
    private static IEnumerable<KeyValuePair<string, string?>> BuildServer(Func<string, string?> environment)
    {
        if (!MSBuildServerSetting.Read(environment).IsSet)
        {
            yield return new(MSBuildServerSetting.CliVariable, "1");
        }
    }

    // obj/devenv/<key>/<purpose>/ of whichever project MSBuild evaluates; under obj/, so out of the default items and the watcher.
    private static string BuildFolder(ImageBuildOptions options, string purpose) => $"obj/devenv/{options.Key}/{purpose}/";

    /// <summary>The props file that keeps editor files out of the default items (the SDK appends its own excludes later).</summary>
    public const string EditorFilesProps = """
        <Project>
          <!-- Written by DevEnv's image pipeline: editor lock, swap and backup files are never sources. -->
          <PropertyGroup>
            <DefaultItemExcludes>$(DefaultItemExcludes);**/.#*;**/#*#;**/*~;**/.*.sw?</DefaultItemExcludes>
          </PropertyGroup>
        </Project>
        """;

    private const string EditorFilesPropsName = "DevEnv.EditorFiles.props";

    // Next to the item list: what the last publish of dotnet-watch's build was made from (WatchBuildPublish.Fingerprint).
    private const string WatchPublishStampName = "watch-publish-inputs";

    /// <summary>Publishes and classifies the output; a failed build throws <see cref="ImageBuildFailedException"/> with the compiler's lines.</summary>
    public async Task<PublishedApp> PublishAsync(string projectFile, ImageBuildOptions options, string publishDir, string itemsFile, ResourceLog log, CancellationToken cancellationToken)
    {
        // dotnet-watch's build after a rude edit: its publish is a copy that needs no MSBuild when no input of its item list changed.
        var stamp = Path.Combine(Path.GetDirectoryName(itemsFile)!, WatchPublishStampName);
        var fingerprint = options.FromWatchBuild ? WatchBuildPublish.Fingerprint(projectFile) : null;
        if (fingerprint is not null)
        {
            if (WatchBuildPublish.TryRefresh(fingerprint, stamp, itemsFile, publishDir, out var why) is var (refreshed, copied))
            {
                log.Info($"Publish: the last publish of this build brought up to date without MSBuild ({copied} changed file(s) copied; no project input changed)");
                return refreshed;
            }

            log.Info($"Publish: dotnet publish --no-build ({why})");
            WatchBuildPublish.Forget(stamp);
        }

        if (Directory.Exists(publishDir))
        {
            Directory.Delete(publishDir, recursive: true);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(itemsFile)!);
        File.Delete(itemsFile);
        // Written only when missing or different: MSBuild counts the newest imported file among every incremental target's
        // inputs, so a fresh timestamp here would recompile and re-trim on every publish.
        var editorFilesProps = Path.Combine(Path.GetDirectoryName(itemsFile)!, EditorFilesPropsName);
        if (!File.Exists(editorFilesProps) || await File.ReadAllTextAsync(editorFilesProps, cancellationToken).ConfigureAwait(false) != EditorFilesProps)
        {
            await File.WriteAllTextAsync(editorFilesProps, EditorFilesProps, cancellationToken).ConfigureAwait(false);
        }
        var command = Command(projectFile, options, publishDir, itemsFile, environment);
        var errors = new PublishOutput();
        var clock = Stopwatch.StartNew();
        var result = await runner.RunAsync(command, log, cancellationToken, (line, _) => { lock (errors) { errors.Read(line); } }).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            var lines = errors.Errors.Count > 0 ? errors.Errors : result.StandardError.Concat(result.StandardOutput).TakeLast(10).ToList();
            throw new ImageBuildFailedException(
                // The first line is the state's reason: the compiler's first error where there is one.
                (errors.Headline(Path.GetDirectoryName(Path.GetDirectoryName(projectFile))!) ?? $"dotnet publish failed (exit code {result.ExitCode})") +
                $"\ndotnet publish failed (exit code {result.ExitCode}):\n" + string.Join('\n', lines.Take(20).Select(e => "  " + e)) + $"\nCommand: {command}",
                new ProcessFailedException(result));
        }

        if (!File.Exists(itemsFile) || !Directory.Exists(publishDir))
        {
            throw new ImageBuildFailedException($"dotnet publish succeeded but wrote no item list ({itemsFile}) or publish folder ({publishDir}). Command: {command}");
        }

        var (files, executable) = PublishItems.Classify(await File.ReadAllTextAsync(itemsFile, cancellationToken).ConfigureAwait(false), publishDir);
        if (fingerprint is not null && executable is not null)
        {
            WatchBuildPublish.Stamp(stamp, fingerprint);
        }

        return executable is null
            ? throw new ImageBuildFailedException($"The publish of {Path.GetFileName(projectFile)} has no apphost to start (self-contained with UseAppHost=true is required for an image on a runtime-deps base).")
            : new PublishedApp(files, executable, clock.Elapsed);
    }
}
