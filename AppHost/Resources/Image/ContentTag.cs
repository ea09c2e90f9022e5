using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace DevEnv.AppHost.Resources.Image;

/// <summary>
/// The content-derived image tag: a hash of the app project's source files and those of every project it references
/// (bin/ and obj/ excluded), the MSBuild files that shape the build (Directory.Build.*, global.json, NuGet.config),
/// the base image and the publish options. Unchanged inputs give the same tag, so an unchanged build pushes nothing.
/// </summary>
public static class ContentTag
{
    private static readonly string[] BuildFiles = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "nuget.config", "NuGet.Config"];
    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", "node_modules", "TestResults" };

    /// <summary>Computes the tag (e.g. "src-3f9a0c1b2d4e") for the project file <paramref name="projectFile"/>.</summary>
    public static string Compute(string projectFile, string sourceRoot, string baseImage, ImageBuildOptions options)
    {
        var inputs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var project in ProjectClosure(projectFile))
        {
            var directory = Path.GetDirectoryName(project)!;
            foreach (var file in SourceFiles(directory))
            {
                inputs[Relative(sourceRoot, file)] = FileHash(file);
            }

            foreach (var file in AncestorBuildFiles(directory, sourceRoot))
            {
                inputs[Relative(sourceRoot, file)] = FileHash(file);
            }
        }

        var text = new StringBuilder("devenv-image-v1\n").Append(baseImage).Append('\n').AppendJoin(' ', options.ToArguments()).Append('\n');
        foreach (var (path, hash) in inputs)
        {
            text.Append(path).Append('\0').Append(hash).Append('\n');
        }

        return "src-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..12];
    }

    /// <summary>The project and, transitively, every project it references.</summary>
    public static IReadOnlyList<string> ProjectClosure(string projectFile)
    {
        var seen = new List<string>();
        var pending = new Stack<string>([Path.GetFullPath(projectFile)]);
        while (pending.TryPop(out var project))
        {
            if (seen.Contains(project, StringComparer.Ordinal) || !File.Exists(project))
            {
                continue;
            }

            seen.Add(project);
            var references = XDocument.Load(project).Descendants()
                .Where(e => e.Name.LocalName == "ProjectReference")
                .Select(e => e.Attribute("Include")?.Value)
                .OfType<string>();
            foreach (var reference in references)
            {
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, reference.Replace('\\', '/'))));
            }
        }

        return seen;
    }

    private static IEnumerable<string> SourceFiles(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            yield return file;
        }

        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            var name = Path.GetFileName(child);
            if (SkippedDirectories.Contains(name) || name.StartsWith('.'))
            {
                continue;
            }

            foreach (var file in SourceFiles(child))
            {
                yield return file;
            }
        }
    }

    private static IEnumerable<string> AncestorBuildFiles(string directory, string sourceRoot)
    {
        var root = Path.GetFullPath(sourceRoot).TrimEnd(Path.DirectorySeparatorChar);
        for (var dir = new DirectoryInfo(directory).Parent; dir is not null; dir = dir.Parent)
        {
            foreach (var name in BuildFiles)
            {
                var path = Path.Combine(dir.FullName, name);
                if (File.Exists(path))
                {
                    yield return path;
                }
            }

            if (string.Equals(dir.FullName.TrimEnd(Path.DirectorySeparatorChar), root, StringComparison.Ordinal))
            {
                yield break;
            }
        }
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    private static string FileHash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
