using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace DevEnv.Hosting.Resources.Deployment;

/// <summary>Where a project's sources are.</summary>
internal static class ProjectPaths
{
    /// <summary>
    /// The project file as found under DEVENV_SOURCE_ROOT (a copy of the sources, as the tests use), else where the
    /// AppHost was built from.
    /// </summary>
    public static string SourcePath(ProjectResource project, string sourceRoot)
    {
        var builtFrom = project.GetProjectMetadata().ProjectPath;
        for (var dir = Path.GetDirectoryName(builtFrom); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (Directory.EnumerateFiles(dir, "*.sln").Any() || Directory.EnumerateFiles(dir, "*.slnx").Any())
            {
                var moved = Path.Combine(sourceRoot, Path.GetRelativePath(dir, builtFrom));
                return File.Exists(moved) ? moved : builtFrom;
            }
        }

        return builtFrom;
    }
}
