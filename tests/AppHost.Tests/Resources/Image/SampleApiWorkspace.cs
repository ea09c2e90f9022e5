using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Image;

namespace DevEnv.AppHost.Tests.Resources.Image;

/// <summary>
/// A throw-away copy of the parts of the source tree the app build needs (SampleApi, ServiceDefaults, the MSBuild
/// files, registry/), so tests can edit and break the app without touching the real source or racing other builds.
/// Rollout.Tests compiles this file too (linked), for the harness's one-line change.
/// </summary>
public sealed class SampleApiWorkspace : IDisposable
{
    private static readonly string[] Folders = ["SampleApi", "ServiceDefaults", "registry"];
    private static readonly string[] RootFiles = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "nuget.config", "NuGet.Config"];

    /// <summary>Copies the sources into a new temporary folder.</summary>
    public SampleApiWorkspace()
    {
        var source = EnvironmentSettings.FindSourceRoot();
        Root = Directory.CreateTempSubdirectory("devenv-image-").FullName;
        foreach (var folder in Folders)
        {
            Copy(Path.Combine(source, folder), Path.Combine(Root, folder));
        }

        foreach (var file in RootFiles.Where(f => File.Exists(Path.Combine(source, f))))
        {
            File.Copy(Path.Combine(source, file), Path.Combine(Root, file));
        }
    }

    /// <summary>The copy's root (use as SourceRoot).</summary>
    public string Root { get; }

    /// <summary>SampleApi's project file in the copy.</summary>
    public string ProjectFile => Path.Combine(Root, "SampleApi", "SampleApi.csproj");

    /// <summary>SampleApi/Program.cs in the copy.</summary>
    public string ProgramFile => Path.Combine(Root, "SampleApi", "Program.cs");

    /// <summary>The file of the copy that holds the "Hello, World!" endpoint.</summary>
    public string HelloFile => Directory.EnumerateFiles(Path.Combine(Root, "SampleApi"), "*.cs", SearchOption.AllDirectories)
        .First(f => File.ReadAllText(f).Contains("\"Hello, World!\"", StringComparison.Ordinal));

    /// <summary>Replaces text in a file of the copy, failing when the text is not there.</summary>
    public void Edit(string file, string from, string to)
    {
        var text = File.ReadAllText(file);
        Assert.Contains(from, text);
        File.WriteAllText(file, text.Replace(from, to, StringComparison.Ordinal));
    }

    /// <summary>
    /// <c>dotnet publish</c> of the copy with the image's shipping options (no container step) into
    /// <paramref name="publishDir"/>; fails the test when it fails. Publishing again reuses the copy's obj/, as the watch loop does.
    /// The output holds only errors unless <paramref name="showMessages"/> asks for MSBuild's normal verbosity.
    /// </summary>
    public async Task<ProcessResult> PublishAsync(string publishDir, bool showMessages, CancellationToken cancellationToken)
    {
        string[] verbosity = showMessages ? ["-v:n"] : ["-v:q", "-clp:ErrorsOnly"];
        var spec = new ProcessSpec("dotnet",
            ["publish", ProjectFile, .. ImageBuildOptions.Default.ToArguments(), "-o", publishDir, "-tl:off", "-nologo", .. verbosity])
        {
            WorkingDirectory = Root,
            Environment = new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
        };
        return await new ProcessRunner().RunCheckedAsync(spec, ResourceLog.None, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(Root, recursive: true);

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
