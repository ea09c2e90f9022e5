using System.Diagnostics;

namespace DevEnv.Hosting.Resources.Diagnostics;

/// <summary>
/// Turns a heap snapshot's .nettrace (the runtime's GC heap events, as the agent streams them) into a .gcdump with
/// <c>dotnet-gcdump convert</c>: the heap graph and the .gcdump format are dotnet-gcdump's own code (not in any library
/// package), so DevEnv runs the tool rather than writing the format again. Without the tool the .nettrace is kept and
/// the command says how to convert it.
/// </summary>
/// <param name="executable">dotnet-gcdump's path, or null when it is not installed.</param>
public sealed class GcDumpConverter(string? executable)
{
    /// <summary>Overrides where dotnet-gcdump is looked for.</summary>
    public const string Variable = "DEVENV_DOTNET_GCDUMP";

    /// <summary>How long a conversion may take.</summary>
    public static TimeSpan Timeout { get; } = TimeSpan.FromMinutes(5);

    /// <summary>The tool's path, or null.</summary>
    public string? Executable { get; } = executable;

    /// <summary>dotnet-gcdump from <see cref="Variable"/>, the PATH, or the global tools folder (~/.dotnet/tools), in that order.</summary>
    public static GcDumpConverter Find()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } set)
        {
            return new GcDumpConverter(File.Exists(set) ? set : null);
        }

        var name = OperatingSystem.IsWindows() ? "dotnet-gcdump.exe" : "dotnet-gcdump";
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools"));
        return new GcDumpConverter(folders.Select(f => Path.Combine(f, name)).FirstOrDefault(File.Exists));
    }

    /// <summary>Converts <paramref name="nettrace"/> into <paramref name="gcdump"/>; returns null when done, or why not in one line.</summary>
    public async Task<string?> ConvertAsync(string nettrace, string gcdump, CancellationToken cancellationToken)
    {
        if (Executable is null)
        {
            return "dotnet-gcdump is not installed";
        }

        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "convert", nettrace, "-o", gcdump })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Executable} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return $"dotnet-gcdump convert did not finish within {Timeout.TotalMinutes:0} min";
        }

        var output = (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false));
        // The tool exits 0 even when it could not read the events; the file is what tells.
        return process.ExitCode == 0 && File.Exists(gcdump) && new FileInfo(gcdump).Length > 0
            ? null
            : $"dotnet-gcdump convert failed (exit {process.ExitCode}): {output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no output"}";
    }
}
