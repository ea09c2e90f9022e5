namespace DevEnv.Hosting.Resources.Image.Pipeline;

/// <summary>
/// What the user's environment says about the MSBuild server, read in one place: the publisher turns the server on
/// when nothing is said (<see cref="IsSet"/>), and the watcher warns when it is said off (<see cref="IsOff"/>).
/// </summary>
/// <param name="Variable">The variable that said it (the CLI's is read first), or null when neither is set.</param>
/// <param name="Value">Its value, trimmed.</param>
public sealed record MSBuildServerSetting(string? Variable, string? Value)
{
    /// <summary>The variable that switches the MSBuild server on or off for the .NET CLI.</summary>
    public const string CliVariable = "DOTNET_CLI_USE_MSBUILD_SERVER";

    /// <summary>MSBuild's own variable for the same switch.</summary>
    public const string MSBuildVariable = "MSBUILDUSESERVER";

    /// <summary>Whether the user chose at all; their choice is inherited unchanged.</summary>
    public bool IsSet => Variable is not null;

    /// <summary>Whether the user switched the server off.</summary>
    public bool IsOff => Value is "0" || string.Equals(Value, "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the setting from <paramref name="environment"/>.</summary>
    public static MSBuildServerSetting Read(Func<string, string?> environment)
    {
        foreach (var variable in new[] { CliVariable, MSBuildVariable })
        {
            if (environment(variable) is { } value && !string.IsNullOrWhiteSpace(value))
            {
                return new MSBuildServerSetting(variable, value.Trim());
            }
        }

        return new MSBuildServerSetting(null, null);
    }
}
