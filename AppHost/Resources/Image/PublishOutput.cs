using System.Text.RegularExpressions;

namespace DevEnv.AppHost.Resources.Image;

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

    // "Program.cs(3,1): error CS1002: ; expected [...csproj]" and "error NETSDK1144: ...": MSBuild's canonical error format.
    [GeneratedRegex(@"(^|:\s*|\s)error [A-Z]+[0-9]+\s*:")]
    private static partial Regex ErrorLine();
}
