namespace DevEnv.Hosting.Resources.Image.Pipeline;

/// <summary>One file of the publish folder and the layer MSBuild's item metadata puts it in.</summary>
/// <param name="RelativePath">Path under the publish folder, '/'-separated (also its path under /app in the image).</param>
/// <param name="SourcePath">The file on disk.</param>
/// <param name="Kind">Its layer.</param>
public sealed record PublishedFile(string RelativePath, string SourcePath, LayerKind Kind);
