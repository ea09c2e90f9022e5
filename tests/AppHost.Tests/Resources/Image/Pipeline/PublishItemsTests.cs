using DevEnv.Hosting.Resources.Image.Pipeline;

namespace DevEnv.AppHost.Tests.Resources.Image.Pipeline;

/// <summary>The layer of each file comes from MSBuild's item metadata, in the JSON shape -getItem writes.</summary>
public sealed class PublishItemsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("devenv-items-").FullName;

    [Fact]
    public void Runtime_pack_native_files_and_the_apphost_are_runtime_its_assemblies_framework_other_packages_packages_and_the_rest_app()
    {
        foreach (var f in new[] { "SampleApi", "libcoreclr.so", "System.Private.CoreLib.dll", "Newtonsoft.Json.dll", "SampleApi.dll", "SampleApi.deps.json", "wwwroot/site.css", "libcoreclr.so.dll" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_dir, f))!);
            File.WriteAllText(Path.Combine(_dir, f), f);
        }

        // Trimmed from a real run's JSON. A file named like a runtime file but without the metadata is the app's.
        const string json = """
            {
              "Properties": { "AppHostIntermediatePath": "/src/obj/apphost" },
              "Items": {
                "ResolvedRuntimePack": [ { "Identity": "Microsoft.NETCore.App.Runtime.linux-x64", "NuGetPackageId": "Microsoft.NETCore.App.Runtime.linux-x64" } ],
                "ResolvedFileToPublish": [
                  { "Identity": "/src/obj/apphost", "FullPath": "/src/obj/apphost", "RelativePath": "SampleApi" },
                  { "FullPath": "/nuget/libcoreclr.so", "RelativePath": "libcoreclr.so", "AssetType": "native", "NuGetPackageId": "Microsoft.NETCore.App.Runtime.linux-x64" },
                  { "FullPath": "/src/obj/R2R/System.Private.CoreLib.dll", "RelativePath": "System.Private.CoreLib.dll", "AssetType": "runtime", "NuGetPackageId": "Microsoft.NETCore.App.Runtime.linux-x64" },
                  { "FullPath": "/nuget/Newtonsoft.Json.dll", "RelativePath": "Newtonsoft.Json.dll", "AssetType": "runtime", "NuGetPackageId": "Newtonsoft.Json" },
                  { "FullPath": "/src/obj/SampleApi.dll", "RelativePath": "SampleApi.dll" },
                  { "FullPath": "/src/obj/SampleApi.deps.json", "RelativePath": "SampleApi.deps.json" },
                  { "FullPath": "/src/libcoreclr.so.dll", "RelativePath": "libcoreclr.so.dll" }
                ]
              }
            }
            """;

        var (files, executable) = PublishItems.Classify(json, _dir);

        Assert.Equal("SampleApi", executable);
        Assert.Equal(files.Select(f => f.RelativePath).Order(StringComparer.Ordinal), files.Select(f => f.RelativePath));
        var kinds = files.ToDictionary(f => f.RelativePath, f => f.Kind);
        Assert.Equal(LayerKind.Runtime, kinds["SampleApi"]);
        Assert.Equal(LayerKind.Runtime, kinds["libcoreclr.so"]);
        Assert.Equal(LayerKind.Framework, kinds["System.Private.CoreLib.dll"]);
        Assert.Equal(LayerKind.Packages, kinds["Newtonsoft.Json.dll"]);
        Assert.Equal(LayerKind.App, kinds["SampleApi.dll"]);
        Assert.Equal(LayerKind.App, kinds["SampleApi.deps.json"]);
        Assert.Equal(LayerKind.App, kinds["libcoreclr.so.dll"]);
        Assert.Equal(LayerKind.App, kinds["wwwroot/site.css"]); // no item: static web assets and other content
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
