namespace DevEnv.Hosting.Resources.Image.Pipeline;

/// <summary>What a publish produced: every file of the publish folder with its layer, and the apphost to start.</summary>
/// <param name="Files">The publish folder's files, ordinal by relative path.</param>
/// <param name="Executable">The apphost's path relative to the publish folder (the entrypoint is /app/&lt;it&gt;).</param>
/// <param name="Elapsed">How long <c>dotnet publish</c> took.</param>
public sealed record PublishedApp(IReadOnlyList<PublishedFile> Files, string Executable, TimeSpan Elapsed);
