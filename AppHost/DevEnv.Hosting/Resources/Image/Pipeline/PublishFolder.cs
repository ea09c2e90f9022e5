namespace DevEnv.Hosting.Resources.Image.Pipeline;

/// <summary>
/// The files of a publish folder, walked without following symbolic links out of it: a link to a file inside the folder
/// is taken as that file's bytes (what a copy would hold); a link that leads outside the folder, to a directory, nowhere,
/// or round in a loop is one <see cref="ImageBuildFailedException"/> naming it, so no host file ends up in an image and
/// a loop never hangs the build.
/// </summary>
public static class PublishFolder
{
    /// <summary>Every file under <paramref name="root"/>: its '/'-separated path under the folder and where its bytes are.</summary>
    public static IReadOnlyList<(string Relative, string Full)> Files(string root)
    {
        var top = Path.GetFullPath(root);
        var found = new List<(string, string)>();
        var pending = new Stack<string>([top]);
        while (pending.Count > 0)
        {
            foreach (var entry in new DirectoryInfo(pending.Pop()).EnumerateFileSystemInfos())
            {
                var relative = Path.GetRelativePath(top, entry.FullName).Replace('\\', '/');
                if (entry.LinkTarget is null)
                {
                    if (entry is DirectoryInfo)
                    {
                        pending.Push(entry.FullName);
                    }
                    else
                    {
                        found.Add((relative, entry.FullName));
                    }

                    continue;
                }

                found.Add((relative, Inside(top, entry, relative)));
            }
        }

        return found;
    }

    // The final target of a link, when it is a file inside the folder; anything else fails the build with what to do.
    private static string Inside(string top, FileSystemInfo link, string relative)
    {
        FileSystemInfo? target;
        try
        {
            target = link.ResolveLinkTarget(returnFinalTarget: true);
        }
        catch (IOException)
        {
            throw new ImageBuildFailedException($"The publish folder holds a symbolic link loop at {relative} ({link.FullName} -> {link.LinkTarget}); remove the link or make it point at a file of the published app.");
        }

        var full = target is null ? null : Path.GetFullPath(target.FullName);
        if (full is null || (full != top && !full.StartsWith(top + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
        {
            throw new ImageBuildFailedException($"The publish folder holds a symbolic link {relative} -> {link.LinkTarget}, which leads out of it ({full ?? "nowhere"}); DevEnv does not put host files in an image: copy the file into the project's output instead of linking it (or unset CreateSymbolicLinksForPublishFilesIfPossible).");
        }

        return target is FileInfo { Exists: true }
            ? full
            : throw new ImageBuildFailedException($"The publish folder holds a symbolic link {relative} -> {link.LinkTarget} to {(target is DirectoryInfo ? "a directory" : "nothing")}; DevEnv takes only files: publish the files themselves instead of the link.");
    }
}
