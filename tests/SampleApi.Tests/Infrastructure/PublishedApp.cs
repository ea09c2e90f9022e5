using System.Diagnostics;

namespace DevEnv.SampleApi.Tests.Infrastructure;

/// <summary>
/// Publishes SampleApi once per test run, self-contained and trimmed for linux-x64 exactly as the image
/// gets it, into a temp folder. Set SAMPLEAPI_PUBLISHED_DIR to reuse an existing publish while iterating.
/// </summary>
public class PublishedApp : IAsyncLifetime
{
    private string? _ownedDirectory;

    /// <summary>Variable naming an existing publish folder to reuse.</summary>
    protected virtual string ReuseVariable => "SAMPLEAPI_PUBLISHED_DIR";

    /// <summary>Extra MSBuild properties of this publish.</summary>
    protected virtual IReadOnlyList<string> ExtraProperties => [];

    /// <summary>Path of the published SampleApi executable.</summary>
    public string ExecutablePath { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var reuse = Environment.GetEnvironmentVariable(ReuseVariable);
        if (!string.IsNullOrEmpty(reuse))
        {
            ExecutablePath = Path.Combine(reuse, "SampleApi");
            return;
        }

        _ownedDirectory = Directory.CreateTempSubdirectory("sampleapi-publish-").FullName;
        var project = Path.Combine(FindRepositoryRoot(), "SampleApi", "SampleApi.csproj");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "publish", project, "-c", "Release", "-r", "linux-x64", "--self-contained",
                "-p:PublishTrimmed=true", "-o", _ownedDirectory, "-nologo", "-v", "q", "-clp:ErrorsOnly" },
        };
        foreach (var property in ExtraProperties)
        {
            start.ArgumentList.Add("-p:" + property);
        }

        // `dotnet test` exports MSBuild variables that would point a nested build at the wrong SDK pieces.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"dotnet publish {project} failed with exit code {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }

        // Readable by other users too, for the non-root test (temp folders start as 0700).
        File.SetUnixFileMode(_ownedDirectory, (UnixFileMode)0b111_101_101);
        ExecutablePath = Path.Combine(_ownedDirectory, "SampleApi");
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_ownedDirectory is not null)
        {
            Directory.Delete(_ownedDirectory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DevEnv.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"DevEnv.sln not found above {AppContext.BaseDirectory}");
    }
}
