using System.Text.RegularExpressions;

namespace DevEnv.Hosting.Resources.Image;

/// <summary>Collects the error lines (compiler, MSBuild, SDK) of a <c>dotnet publish</c>, for the message of a failed build.</summary>
public sealed partial class PublishOutput
{
    private readonly List<string> _errors = [];

    /// <summary>Error lines, without duplicates, in order.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>Feeds one line of output.</summary>
    public void Read(string line)
    {
        if (ErrorLine().IsMatch(line) && !_errors.Contains(line.Trim()))
        {
            _errors.Add(line.Trim());
        }
    }

    /// <summary>
    /// The one line a failed build is known by: the first error, its path relative to <paramref name="sourceRoot"/> and
    /// without MSBuild's "[project]" suffix, and how many more there are; null when no error line was seen.
    /// </summary>
    public string? Headline(string sourceRoot)
    {
        if (_errors.Count == 0)
        {
            return null;
        }

        var first = ProjectSuffix().Replace(_errors[0], "");
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(sourceRoot)) + Path.DirectorySeparatorChar;
        first = first.StartsWith(root, StringComparison.Ordinal) ? first[root.Length..] : first;
        return _errors.Count == 1 ? first : $"{first} (and {_errors.Count - 1} more {(_errors.Count == 2 ? "error" : "errors")})";
    }

    [GeneratedRegex(@"\s+\[[^\[\]]+\.[a-z]+proj\]$")]
    private static partial Regex ProjectSuffix();

    // "Program.cs(3,1): error CS1002: ; expected [...csproj]" and "error NETSDK1144: ...": MSBuild's canonical error format.
    [GeneratedRegex(@"(^|:\s*|\s)error [A-Z]+[0-9]+\s*:")]
    private static partial Regex ErrorLine();
}
