using DevEnv.Hosting.Configuration;

namespace DevEnv.Hosting.Resources.Image;

/// <summary>
/// How the app is published into an image. The default is the shipping shape: Release, linux-x64 (the image pipeline
/// sets the runtime identifier of each platform it builds for), self-contained,
/// fully trimmed. Everything here feeds the content tag, so changing an option gives a new tag.
/// </summary>
public sealed record ImageBuildOptions
{
    /// <summary>The build configuration.</summary>
    public string Configuration { get; init; } = "Release";

    /// <summary>The target runtime.</summary>
    public string RuntimeIdentifier { get; init; } = "linux-x64";

    /// <summary>Carry the runtime in the image (so the base needs only runtime-deps).</summary>
    public bool SelfContained { get; init; } = true;

    /// <summary>Run the IL trimmer (smaller image, slower publish).</summary>
    public bool Trimmed { get; init; } = true;

    /// <summary>TrimMode (full when null; "partial" trims only assemblies that opted in).</summary>
    public string? TrimMode { get; init; }

    /// <summary>
    /// Precompile every assembly to native code (PublishReadyToRun; SampleApi reads it as ReadyToRunSet=all): faster start,
    /// bigger image. Without it a trimmed SampleApi still precompiles its small default set (see SampleApi/ReadyToRun.targets).
    /// </summary>
    public bool ReadyToRun { get; init; }

    /// <summary>
    /// Publish what the project's own build already made (<c>--no-build</c>, from its default bin/ and obj/ folders: the
    /// build dotnet-watch made, whose assemblies the Hot Reload deltas are made against), and carry the SDK's Hot Reload
    /// agent in the image (<see cref="HotReload.DeltaApplierFile.PathInImage"/>). See <see cref="HotReload"/>.
    /// </summary>
    public bool FromWatchBuild { get; init; }

    /// <summary>Further MSBuild properties, passed as -p:Key=Value.</summary>
    public IReadOnlyDictionary<string, string> ExtraProperties { get; init; } = new Dictionary<string, string>();

    /// <summary>The shipping default.</summary>
    public static ImageBuildOptions Default { get; } = new();

    /// <summary>
    /// An inner-loop mode: self-contained but untrimmed, so ILLink (most of a warm rebuild) does not run.
    /// The image is larger, but only the app layer changes between builds.
    /// </summary>
    public static ImageBuildOptions Fast { get; } = new() { Trimmed = false };

    /// <summary>
    /// The image of dotnet-watch's build for Hot Reload into the pods: Debug (what dotnet-watch builds), self-contained,
    /// untrimmed (a trimming project turns startup hooks off, and the agent is one), published without building again.
    /// </summary>
    public static ImageBuildOptions HotReload(string runtimeIdentifier) => new()
    {
        Configuration = "Debug",
        RuntimeIdentifier = runtimeIdentifier,
        Trimmed = false,
        FromWatchBuild = true,
    };

    /// <summary>How the dashboard names this option set's images: "Trimmed", "Fast" or "HotReload".</summary>
    public string ModeName => FromWatchBuild ? "HotReload" : Trimmed ? nameof(ImageMode.Trimmed) : nameof(ImageMode.Fast);

    /// <summary>The options a <see cref="ImageMode"/> stands for.</summary>
    public static ImageBuildOptions For(ImageMode mode) => mode == ImageMode.Fast ? Fast : Default;

    /// <summary>
    /// A short name for this option set, e.g. "trimmed-linux-x64" or "untrimmed-linux-arm64-r2r", used for its publish,
    /// build and intermediate folders (a configuration other than Release is part of it, e.g. "-debug").
    /// </summary>
    public string Key =>
        (Trimmed ? "trimmed" + (TrimMode is null ? "" : "-" + TrimMode) : "untrimmed")
        + (Configuration == "Release" ? "" : "-" + Configuration.ToLowerInvariant())
        + "-" + RuntimeIdentifier
        + (ReadyToRun ? "-r2r" : "") + (SelfContained ? "" : "-fdd") + (FromWatchBuild ? "-hotreload" : "")
        + (ExtraProperties.Count == 0 ? "" : "-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(string.Join(';', ExtraProperties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value)))))[..8]);

    /// <summary>The MSBuild arguments these options stand for.</summary>
    public IEnumerable<string> ToArguments()
    {
        if (FromWatchBuild)
        {
            yield return "--no-build";
        }

        yield return "-c";
        yield return Configuration;
        yield return "-r";
        yield return RuntimeIdentifier;
        yield return SelfContained ? "--self-contained" : "--no-self-contained";
        yield return $"-p:PublishTrimmed={(Trimmed ? "true" : "false")}";
        if (Trimmed && TrimMode is not null)
        {
            yield return $"-p:TrimMode={TrimMode}";
        }

        if (ReadyToRun)
        {
            yield return "-p:PublishReadyToRun=true";
        }

        foreach (var (key, value) in ExtraProperties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            yield return $"-p:{key}={value}";
        }
    }
}
