using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace DevEnv.Hosting.Resources.Image.Pipeline;

/// <summary>
/// The publish of dotnet-watch's build without MSBuild, when nothing that decides what a publish holds has changed since
/// the last one. <c>dotnet publish --no-build</c> of that build only copies files (3-4 s on 2 cores, most of it MSBuild
/// starting and evaluating): every file it copies is a ResolvedFileToPublish item whose source (FullPath) the last
/// publish's item list names. So when the inputs of that list are unchanged, copying the items whose source changed
/// gives the same folder. Those inputs are the project files and every other non-C# file of the project and of the
/// projects it references (an added content or static web asset file, a changed package reference), the MSBuild files
/// and global.json/NuGet.config above them, and the restore's assets file; a compile of C# changes no item. Anything
/// else, or a missing source, means a real publish. The fingerprint is taken before that publish, so an edit during it
/// makes the next one real too.
/// </summary>
public static class WatchBuildPublish
{
    private const string Format = "devenv-watch-publish-v1";

    // Folders that are no project input: build output, editors' and tools' own.
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", ".git", ".vs", ".vscode", ".idea", "node_modules" };

    // The files MSBuild, the SDK resolver and NuGet read from the folders above a project.
    private static readonly string[] AncestorInputs =
        ["Directory.Build.props", "Directory.Build.targets", "Directory.Build.rsp", "Directory.Packages.props", "global.json", "NuGet.config", "nuget.config"];

    /// <summary>What decides the item list of <paramref name="projectFile"/>'s publish, as one hash.</summary>
    public static string Fingerprint(string projectFile)
    {
        var text = new StringBuilder(Format).Append('\n');
        var projects = ProjectClosure(Path.GetFullPath(projectFile));
        foreach (var project in projects)
        {
            var folder = Path.GetDirectoryName(project)!;
            foreach (var file in InputFiles(folder).Order(StringComparer.Ordinal))
            {
                Append(text, file);
            }

            Append(text, Path.Combine(folder, "obj", "project.assets.json"));
        }

        foreach (var folder in projects.Select(p => Path.GetDirectoryName(Path.GetDirectoryName(p))).OfType<string>().Distinct().Order(StringComparer.Ordinal))
        {
            for (var above = folder; above is not null; above = Path.GetDirectoryName(above))
            {
                foreach (var name in AncestorInputs)
                {
                    Append(text, Path.Combine(above, name));
                }
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// Brings <paramref name="publishDir"/> (the last publish) up to date from the sources its item list
    /// (<paramref name="itemsFile"/>) names, when <paramref name="stampFile"/> holds <paramref name="fingerprint"/>; returns
    /// the publish and how many files it copied, or null when a real publish is needed (and says why in <paramref name="why"/>).
    /// </summary>
    public static (PublishedApp App, int Copied)? TryRefresh(string fingerprint, string stampFile, string itemsFile, string publishDir, out string why)
    {
        if (!File.Exists(stampFile) || !File.Exists(itemsFile) || !Directory.Exists(publishDir))
        {
            why = "no earlier publish of this build";
            return null;
        }

        if (File.ReadAllText(stampFile).Trim() != fingerprint)
        {
            why = "a project file, a non-C# file or the restore changed since the last publish";
            return null;
        }

        var clock = Stopwatch.StartNew();
        var json = File.ReadAllText(itemsFile);
        var items = PublishItems.Sources(json);
        foreach (var (_, source) in items)
        {
            if (!File.Exists(source))
            {
                why = $"{source} (a file the last publish copied) is gone";
                return null;
            }
        }

        var copied = 0;
        foreach (var (relative, source) in items)
        {
            var target = Path.Combine(publishDir, relative);
            var from = new FileInfo(source);
            var to = new FileInfo(target);
            if (to.Exists && to.Length == from.Length && to.LastWriteTimeUtc == from.LastWriteTimeUtc)
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target, overwrite: true);
            // The source's time, so the next refresh skips it and the layer cache's (size, time) memo of its hash holds.
            File.SetLastWriteTimeUtc(target, from.LastWriteTimeUtc);
            copied++;
        }

        if (PublishItems.Classify(json, publishDir) is not (var files, { } executable))
        {
            why = "the last publish has no apphost";
            return null;
        }

        why = "";
        return (new PublishedApp(files, executable, clock.Elapsed), copied);
    }

    /// <summary>Records <paramref name="fingerprint"/> as what the publish just made was made from.</summary>
    public static void Stamp(string stampFile, string fingerprint) => File.WriteAllText(stampFile, fingerprint);

    /// <summary>Deletes the record, so the next publish is a real one (a failed publish leaves no usable folder).</summary>
    public static void Forget(string stampFile)
    {
        if (File.Exists(stampFile))
        {
            File.Delete(stampFile);
        }
    }

    // The project and every project it references, transitively (ProjectReference Include, relative to each project).
    private static List<string> ProjectClosure(string projectFile)
    {
        var seen = new List<string>();
        var pending = new Stack<string>([projectFile]);
        while (pending.Count > 0)
        {
            var project = pending.Pop();
            if (seen.Contains(project, StringComparer.Ordinal) || !File.Exists(project))
            {
                continue;
            }

            seen.Add(project);
            foreach (var reference in XDocument.Load(project).Descendants().Where(e => e.Name.LocalName == "ProjectReference"))
            {
                if (reference.Attribute("Include")?.Value is { Length: > 0 } include)
                {
                    pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, include.Replace('\\', Path.DirectorySeparatorChar))));
                }
            }
        }

        return [.. seen.Order(StringComparer.Ordinal)];
    }

    // Every file of a project's folder but its C# sources and build output.
    private static IEnumerable<string> InputFiles(string folder)
    {
        var pending = new Stack<string>([folder]);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            foreach (var entry in new DirectoryInfo(current).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo directory)
                {
                    if (!SkippedFolders.Contains(directory.Name) && directory.LinkTarget is null)
                    {
                        pending.Push(directory.FullName);
                    }
                }
                else if (!entry.Name.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) && !IsEditorFile(entry.Name))
                {
                    yield return entry.FullName;
                }
            }
        }
    }

    // Editors' lock, swap and backup files (the same the publish keeps out of its items): no input, and they come and go.
    private static bool IsEditorFile(string name) =>
        name.StartsWith(".#", StringComparison.Ordinal) || (name.StartsWith('#') && name.EndsWith('#')) || name.EndsWith('~')
        || (name.StartsWith('.') && (name.EndsWith(".swp", StringComparison.Ordinal) || name.EndsWith(".swx", StringComparison.Ordinal) || name.EndsWith(".swo", StringComparison.Ordinal)));

    private static void Append(StringBuilder text, string file)
    {
        var info = new FileInfo(file);
        text.Append(file).Append('\0');
        if (info.Exists)
        {
            text.Append(info.Length).Append('\0').Append(info.LastWriteTimeUtc.Ticks);
        }

        text.Append('\n');
    }
}
