using System.Collections.Concurrent;
using System.Diagnostics;

namespace DevEnv.Hosting.HotReload;

/// <summary>
/// Where the SDK keeps its Hot Reload agent (Microsoft.Extensions.DotNetDeltaApplier.dll, the startup hook dotnet-watch
/// injects into a local app): beside dotnet-watch in the SDK that builds the project. The image carries a copy, so the
/// pods run the agent of the same SDK whose dotnet-watch makes their deltas.
/// </summary>
public static class DeltaApplierFile
{
    /// <summary>The file name, also its name in the image.</summary>
    public const string FileName = "Microsoft.Extensions.DotNetDeltaApplier.dll";

    /// <summary>Where the pods find it: a folder of its own beside the app.</summary>
    public const string PathInImage = "/app/devenv-hotreload/" + FileName;

    // Found once per project folder: each image of dotnet-watch's builds carries it, and finding it starts `dotnet --version`.
    private static readonly ConcurrentDictionary<string, string> Found = new(StringComparer.Ordinal);

    /// <summary>The agent of the SDK that <c>dotnet</c> picks in <paramref name="projectDirectory"/> (global.json respected).</summary>
    public static string Locate(string projectDirectory) => Found.GetOrAdd(Path.GetFullPath(projectDirectory), Find);

    private static string Find(string projectDirectory)
    {
        var version = SdkVersion(projectDirectory);
        var root = DotnetRoot();
        var path = Path.Combine(root, "sdk", version, "DotnetTools", "dotnet-watch", version, "tools", "net10.0", "any", "hotreload", "net10.0", FileName);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The .NET SDK {version} in {root} has no Hot Reload agent at {path}; Hot Reload into pods needs the .NET 10 SDK's dotnet-watch (set DEVENV_HOT_RELOAD=false to rebuild on every save instead).", path);
    }

    private static string SdkVersion(string projectDirectory)
    {
        var start = new ProcessStartInfo("dotnet", ["--version"]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = projectDirectory };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet --version did not start");
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 && output.Length > 0 ? output : throw new InvalidOperationException($"dotnet --version failed in {projectDirectory} (exit code {process.ExitCode})");
    }

    private static string DotnetRoot()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && Directory.Exists(Path.Combine(root, "sdk")))
        {
            return root;
        }

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(folder, "dotnet");
            if (File.Exists(candidate))
            {
                var resolved = new FileInfo(candidate).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? candidate;
                return Path.GetDirectoryName(resolved)!;
            }
        }

        // The runtime this process runs on is the SDK's own when the AppHost is started with `dotnet run`.
        return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
    }
}
