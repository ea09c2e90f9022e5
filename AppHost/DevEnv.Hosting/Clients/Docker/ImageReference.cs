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
            // name:tag@sha256:...: the digest wins (as docker pulls it) and the tag is dropped from the repository.
            var name = image[..at];
            var tagColon = name.LastIndexOf(':');
            return (tagColon > name.LastIndexOf('/') ? name[..tagColon] : name, image[(at + 1)..], true);
        }

        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..], false) : (image, "latest", false);
    }
}
