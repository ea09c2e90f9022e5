namespace DevEnv.Hosting.Resources.Image;

/// <summary>The outcome of one build request: the image, or why it failed (the last good image stays in use).</summary>
/// <param name="Build">The image built, or null when the build failed.</param>
/// <param name="Error">Why it failed: the compiler's error lines or the failing step.</param>
public sealed record ImageBuildResult(ImageBuild? Build, string? Error)
{
    /// <summary>Whether an image is available from this build.</summary>
    public bool Success => Build is not null;
}
