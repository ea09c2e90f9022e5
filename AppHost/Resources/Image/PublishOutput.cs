using System.Text.RegularExpressions;

namespace DevEnv.AppHost.Resources.Image;

/// <summary>
/// Reads what <c>dotnet publish -t:PublishContainer</c> prints: when image assembly starts, which layers were
/// really uploaded (as opposed to "already exists"), and the compiler's error lines.
/// </summary>
public sealed partial class PublishOutput
{
    private readonly List<string> _errors = [];
    private readonly HashSet<string> _uploaded = new(StringComparer.Ordinal);

    /// <summary>Set when the SDK starts assembling the image (compile and trim are done).</summary>
    public bool ImageStarted { get; private set; }

    /// <summary>Set when the SDK reports the image pushed.</summary>
    public bool Pushed { get; private set; }

    /// <summary>Digests of blobs the SDK uploaded in this run (layers and config).</summary>
    public IReadOnlyCollection<string> UploadedDigests => _uploaded;

    /// <summary>Error lines (compiler, MSBuild, container tasks), without duplicates, in order.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>Feeds one line; returns true when it is the start of image assembly.</summary>
    public bool Read(string line)
    {
        if (FinishedLayer().Match(line) is { Success: true } layer)
        {
            _uploaded.Add(layer.Groups[1].Value);
        }
        else if (ConfigUpload().Match(line) is { Success: true } config)
        {
            _uploaded.Add(config.Groups[1].Value);
        }
        else if (line.Contains("Pushed image '", StringComparison.Ordinal))
        {
            Pushed = true;
        }
        else if (ErrorLine().IsMatch(line) && !_errors.Contains(line.Trim()))
        {
            _errors.Add(line.Trim());
        }
        else if (!ImageStarted && line.TrimStart().StartsWith("Building image '", StringComparison.Ordinal))
        {
            ImageStarted = true;
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"Finished uploading layer '(sha256:[0-9a-f]{64})'")]
    private static partial Regex FinishedLayer();

    [GeneratedRegex(@"Uploading config to registry at blob '(sha256:[0-9a-f]{64})'")]
    private static partial Regex ConfigUpload();

    // "Program.cs(3,1): error CS1002: ; expected [...csproj]" and "error NETSDK1144: ...", "error CONTAINER1013: ..."
    [GeneratedRegex(@"(^|:\s*|\s)error [A-Z]+[0-9]+\s*:")]
    private static partial Regex ErrorLine();
}
