namespace DevEnv.Hosting.Resources.Image.Pipeline;

/// <summary>The image's own layers, in the order they sit on the base: from what changes least to what changes on every edit.</summary>
public enum LayerKind
{
    /// <summary>The runtime pack's native files (libcoreclr.so, libclrjit.so, ...) and the apphost: change with the SDK only.</summary>
    Runtime,

    /// <summary>The runtime packs' managed assemblies (trimmed or not, with their ReadyToRun images): change with the SDK, or when the trimmer keeps something else.</summary>
    Framework,

    /// <summary>Third-party NuGet packages: change when a package reference changes.</summary>
    Packages,

    /// <summary>The app's own assemblies, deps.json, runtimeconfig.json and content: change on every edit.</summary>
    App,
}
