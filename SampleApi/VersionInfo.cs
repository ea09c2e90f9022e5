namespace DevEnv.SampleApi;

/// <summary>The answer of GET /version: the build's version and the image tag (APP_IMAGE_TAG) if set.</summary>
public sealed record VersionInfo(string Version, string? ImageTag);
