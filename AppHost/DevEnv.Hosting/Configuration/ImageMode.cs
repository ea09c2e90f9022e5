namespace DevEnv.Hosting.Configuration;

/// <summary>How the app image is published (DEVENV_IMAGE_MODE).</summary>
public enum ImageMode
{
    /// <summary>The shipping shape: self-contained and fully trimmed (smallest image, slowest publish).</summary>
    Trimmed,

    /// <summary>The inner loop: self-contained but untrimmed, so ILLink does not run (larger image, faster rebuilds).</summary>
    Fast,
}
