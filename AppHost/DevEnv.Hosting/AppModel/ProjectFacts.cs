using System.Xml.Linq;

namespace DevEnv.Hosting.AppModel;

/// <summary>
/// What the deployment needs to know about a project before anything is built, read from its project file (and the
/// project files it references): the executable the image runs, whether it is a web project, whether it follows
/// DevEnv's app contract, and the folders whose changes rebuild it. Read statically so that <c>manifests</c> stays pure
/// and needs no restore.
/// </summary>
public sealed record ProjectFacts
{
    /// <summary>The MSBuild property a project (usually its ServiceDefaults) sets to say it implements DevEnv's app
    /// contract: the <c>probe</c> and <c>prestop</c> subcommands, the management port, drain on SIGTERM.</summary>
    public const string ContractProperty = "DevEnvAppContract";

    /// <summary>The project file.</summary>
    public required string ProjectFile { get; init; }

    /// <summary>The assembly name, which is also the executable in /app (SDK container publishing's convention).</summary>
    public required string AssemblyName { get; init; }

    /// <summary>Whether the project uses the Web SDK (it serves HTTP: it gets a default http endpoint in the cluster).</summary>
    public bool IsWeb { get; init; }

    /// <summary>Whether the project or one it references sets <see cref="ContractProperty"/> to true.</summary>
    public bool FollowsContract { get; init; }

    /// <summary>The project's folder and those of the projects it references (ServiceDefaults): a save there rebuilds it.</summary>
    public IReadOnlyList<string> SourceDirectories { get; init; } = [];

    /// <summary>Reads <paramref name="projectFile"/> and, up to a few levels deep, the project files it references.</summary>
    public static ProjectFacts Read(string projectFile)
    {
        var root = Load(projectFile);
        var visited = new HashSet<string>(StringComparer.Ordinal) { Path.GetFullPath(projectFile) };
        var follows = Property(root, ContractProperty) is { } own && IsTrue(own);
        var pending = new Queue<(string File, int Depth)>(References(projectFile, root).Select(f => (f, 1)));
        var directories = new List<string> { Path.GetDirectoryName(Path.GetFullPath(projectFile))! };
        while (pending.TryDequeue(out var next))
        {
            if (!visited.Add(next.File) || !File.Exists(next.File))
            {
                continue;
            }

            var referenced = Load(next.File);
            directories.Add(Path.GetDirectoryName(next.File)!);
            follows |= Property(referenced, ContractProperty) is { } value && IsTrue(value);
            if (next.Depth < 4)
            {
                foreach (var file in References(next.File, referenced))
                {
                    pending.Enqueue((file, next.Depth + 1));
                }
            }
        }

        var assemblyName = Property(root, "AssemblyName") is { Length: > 0 } name && !name.Contains("$(", StringComparison.Ordinal)
            ? name
            : Path.GetFileNameWithoutExtension(projectFile);
        var sdk = (string?)root?.Attribute("Sdk") ?? "";
        return new ProjectFacts
        {
            ProjectFile = projectFile,
            AssemblyName = assemblyName,
            IsWeb = sdk.Contains("Microsoft.NET.Sdk.Web", StringComparison.OrdinalIgnoreCase),
            FollowsContract = follows,
            SourceDirectories = [.. directories.Distinct(StringComparer.Ordinal)],
        };
    }

    private static XElement? Load(string file)
    {
        try
        {
            return XDocument.Load(file).Root;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Xml.XmlException)
        {
            return null;
        }
    }

    // The last definition wins, as in MSBuild; conditions are not evaluated (a conditional definition still counts).
    private static string? Property(XElement? root, string name) =>
        root?.Elements().Where(e => e.Name.LocalName == "PropertyGroup").SelectMany(g => g.Elements())
            .LastOrDefault(e => e.Name.LocalName == name)?.Value.Trim();

    private static IEnumerable<string> References(string projectFile, XElement? root) =>
        root?.Descendants().Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => (string?)e.Attribute("Include"))
            .Where(include => include is { Length: > 0 } && !include.Contains("$(", StringComparison.Ordinal))
            .Select(include => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(projectFile)!, include!.Replace('\\', Path.DirectorySeparatorChar))))
        ?? [];

    private static bool IsTrue(string value) => value.Equals("true", StringComparison.OrdinalIgnoreCase);
}
