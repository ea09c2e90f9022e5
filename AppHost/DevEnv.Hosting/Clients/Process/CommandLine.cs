using System.Text;

namespace DevEnv.Hosting.Clients.Process;

/// <summary>Formats a command so it can be pasted into a POSIX shell, for error messages and logs.</summary>
public static class CommandLine
{
    /// <summary>Quotes each part that needs it and joins them with spaces.</summary>
    public static string Format(string fileName, IEnumerable<string> arguments) =>
        string.Join(' ', new[] { fileName }.Concat(arguments).Select(Quote));

    /// <summary>Single-quotes a word when it holds anything a shell would interpret.</summary>
    public static string Quote(string word)
    {
        if (word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@,+%".Contains(c)))
        {
            return word;
        }

        var quoted = new StringBuilder("'");
        quoted.Append(word.Replace("'", "'\\''"));
        quoted.Append('\'');
        return quoted.ToString();
    }
}
