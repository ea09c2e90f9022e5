namespace DevEnv.AppHost.Resources.Deployment;

/// <summary>Checks on image references before they go into a Deployment.</summary>
public static class ImageReference
{
    /// <summary>
    /// Throws unless <paramref name="image"/> names a specific build: a tag other than "latest", or a digest.
    /// A floating tag would make rollouts depend on what a node happens to have cached.
    /// </summary>
    public static string RequireContentTag(string image)
    {
        if (image.Contains("@sha256:", StringComparison.Ordinal))
        {
            return image;
        }

        var lastSlash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        var tag = colon > lastSlash ? image[(colon + 1)..] : "";
        return tag.Length == 0 || tag == "latest"
            ? throw new ArgumentException($"Image '{image}' has no content tag; a Deployment never runs ':latest' or an untagged image.", nameof(image))
            : image;
    }
}
