namespace DevEnv.Hosting.Resources.Image;

/// <summary>The image could not be built; the message carries the compiler's errors or the failing step.</summary>
public sealed class ImageBuildFailedException(string message, Exception? inner = null) : Exception(message, inner);
