namespace DevEnv.Hosting.Clients.Docker;

/// <summary>Splits image references the way Docker does: the tag is after the last ':' that follows the last '/'.</summary>
public static class ImageReference
{
    /// <summary>Returns (repository, tag-or-digest, isDigest); the tag defaults to "latest".</summary>
    public static (string Repository, string Reference, bool IsDigest) Split(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return (image[..at], image[(at + 1)..], true);
        }

        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..], false) : (image, "latest", false);
    }
}
