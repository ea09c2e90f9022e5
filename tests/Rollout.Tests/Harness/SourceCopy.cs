using DevEnv.AppHost.Configuration;

namespace DevEnv.Rollout.Tests.Harness;

/// <summary>
/// A throw-away copy of what the app build needs (SampleApi, ServiceDefaults, registry/, the root MSBuild files), so the
/// harness can build a changed version of the app without touching the real source or racing other builds.
/// </summary>
public sealed class SourceCopy : IDisposable
{
    private static readonly string[] Folders = ["SampleApi", "ServiceDefaults", "registry"];
    private static readonly string[] RootFiles = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "nuget.config", "NuGet.Config"];

    /// <summary>Copies the sources into a new temporary folder.</summary>
    public SourceCopy()
    {
        var source = EnvironmentSettings.FindSourceRoot();
        Root = Directory.CreateTempSubdirectory("devenv-rollout-src-").FullName;
        foreach (var folder in Folders.Where(f => Directory.Exists(Path.Combine(source, f))))
        {
            Copy(Path.Combine(source, folder), Path.Combine(Root, folder));
        }

        foreach (var file in RootFiles.Where(f => File.Exists(Path.Combine(source, f))))
        {
            File.Copy(Path.Combine(source, file), Path.Combine(Root, file));
        }
    }

    /// <summary>The copy's root.</summary>
    public string Root { get; }

    /// <summary>SampleApi's project file in the copy.</summary>
    public string ProjectFile => Path.Combine(Root, "SampleApi", "SampleApi.csproj");

    /// <summary>
    /// A one-line change: the "Hello, World!" text of the app's root endpoint gets <paramref name="suffix"/>; throws when
    /// no source file has that text any more (then this change must be updated).
    /// </summary>
    public void ChangeOneLine(string suffix)
    {
        var file = Directory.EnumerateFiles(Path.Combine(Root, "SampleApi"), "*.cs", SearchOption.AllDirectories)
            .FirstOrDefault(f => File.ReadAllText(f).Contains("\"Hello, World!\"", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("no SampleApi source answers \"Hello, World!\": update the harness's one-line change");
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"Hello, World!\"", $"\"Hello, World! {suffix}\"", StringComparison.Ordinal));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { /* best effort */ }
        catch (UnauthorizedAccessException) { /* best effort */ }
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var dir in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(dir);
            if (name is not ("bin" or "obj") && !name.StartsWith('.'))
            {
                Copy(dir, Path.Combine(to, name));
            }
        }
    }
}
