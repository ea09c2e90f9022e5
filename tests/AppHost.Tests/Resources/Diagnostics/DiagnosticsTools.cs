using System.Diagnostics;

namespace DevEnv.AppHost.Tests.Resources.Diagnostics;

/// <summary>
/// The programs the diagnostics tests run: the solution's build outputs (SampleApi, the agent) and the global dotnet
/// tools dotnet-trace, dotnet-dump and dotnet-gcdump (scripts/setup/diagnostics-tools.sh installs them).
/// </summary>
public static class DiagnosticsTools
{
    /// <summary>The repository's root (where DevEnv.sln is).</summary>
    public static string SourceRoot { get; } = FindRoot();

    /// <summary>SampleApi's apphost from the Release build.</summary>
    public static string SampleApi => Built(Path.Combine(SourceRoot, "SampleApi", "bin", "Release", "net10.0", "linux-x64", "SampleApi"));

    /// <summary>The agent's apphost from the Release build.</summary>
    public static string Agent => Built(Path.Combine(SourceRoot, "AppHost", "DevEnv.Diagnostics.Agent", "bin", "Release", "net10.0", "linux-x64", "DevEnv.Diagnostics.Agent"));

    /// <summary>Starts a SampleApi executable on 127.0.0.1:<paramref name="port"/> (its probe port free too, no telemetry export) and waits for it to answer.</summary>
    public static async Task<Support.ChildProcess> StartSampleApiAsync(string executable, int port, CancellationToken cancellationToken)
    {
        var app = Support.ChildProcess.Start(executable, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["OTEL_SDK_DISABLED"] = "true",
            ["Probe__Port"] = Support.FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await app.WaitForHttpAsync(new Uri($"http://127.0.0.1:{port}/version"), TimeSpan.FromSeconds(30), cancellationToken);
        return app;
    }

    /// <summary>A global dotnet tool's path, or a failure that says how to install it.</summary>
    public static string Tool(string name)
    {
        var path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", name);
        Assert.True(File.Exists(path), $"{name} is not installed: run scripts/setup/diagnostics-tools.sh");
        return path;
    }

    /// <summary>Runs <paramref name="executable"/> to its end (within <paramref name="timeout"/>) and returns its exit code and output.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(string executable, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(executable)} {string.Join(' ', arguments)} did not end within {timeout.TotalSeconds:0} s");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Built(string path)
    {
        Assert.True(File.Exists(path), $"{path} is missing: dotnet build DevEnv.sln -c Release");
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "DevEnv.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("DevEnv.sln not found above " + AppContext.BaseDirectory);
    }
}
