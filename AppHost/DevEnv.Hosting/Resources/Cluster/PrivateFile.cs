namespace DevEnv.Hosting.Resources.Cluster;

/// <summary>
/// Writes a file only its owner may read, from its first byte: the kubeconfig holds the cluster-admin key, so it is
/// never on disk with a wider mode, not even between a write and a chmod.
/// </summary>
public static class PrivateFile
{
    /// <summary>Owner read and write (0600).</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="content"/>: written to a new 0600 file beside it, then
    /// renamed over it, so a reader sees the old file or the new one and an existing file's wider mode is not inherited.
    /// </summary>
    public static async Task WriteAsync(string path, string content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = Mode;
        }

        try
        {
            await using (var stream = new FileStream(temporary, options))
            await using (var writer = new StreamWriter(stream))
            {
                await writer.WriteAsync(content.AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
