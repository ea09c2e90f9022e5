using DevEnv.Hosting.Configuration;

namespace DevEnv.Hosting.Resources.Registry;

/// <summary>
/// The registry container's config.yml. The repository keeps it in <c>registry/config.yml</c>; the library carries it
/// as an embedded resource, because an AppHost that references the package has no such folder. It is written to the
/// environment's state folder, which the container bind-mounts read-only.
/// </summary>
public static class RegistryConfig
{
    private const string ResourceName = "DevEnv.Hosting.registry.config.yml";

    /// <summary>The config's text as built into the library.</summary>
    public static string Text { get; } = ReadEmbedded();

    /// <summary>Where the container's config is written for <paramref name="settings"/>.</summary>
    public static string FilePath(EnvironmentSettings settings) => Path.Combine(settings.ResolvedStateDirectory, "registry", "config.yml");

    /// <summary>Writes the config (only when its text changed, so the file's time stays put) and returns its path.</summary>
    public static string Write(EnvironmentSettings settings)
    {
        var path = FilePath(settings);
        if (!File.Exists(path) || File.ReadAllText(path) != Text)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, Text);
        }

        return path;
    }

    private static string ReadEmbedded()
    {
        using var stream = typeof(RegistryConfig).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is missing from DevEnv.Hosting; rebuild the library.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
