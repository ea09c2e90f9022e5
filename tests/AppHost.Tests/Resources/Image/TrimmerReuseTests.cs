using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Image;
using DevEnv.Hosting.Resources.Image.Pipeline;

namespace DevEnv.AppHost.Tests.Resources.Image;

/// <summary>
/// Why every trimmed rebuild runs ILLink: the obvious rule for skipping it ("the app references the same framework types
/// and members, and holds the same strings, as at the last trim") is not sound. Two versions of one file that differ only
/// in which local flows into which reflection call have byte-identical framework references and strings, yet the trimmer
/// keeps different framework members for them; the last trim's framework with the new app answers wrongly. The pipeline
/// re-trims, so its image answers what the untrimmed app answers.
/// </summary>
public sealed class TrimmerReuseTests
{
    private const string Reflected = """
        using System.Formats.Tar;

        namespace DevEnv.SampleApi;

        internal static class Reflected
        {
            public static string Get()
            {
                Type writer = typeof(TarWriter);
                Type reader = typeof(TarReader);
                var methods = FIRST.GetMethods().Length;
                var properties = SECOND.GetProperties().Length;
                return $"methods={methods} properties={properties}";
            }
        }
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Same_framework_references_and_strings_can_need_a_different_trimmed_framework_so_the_pipeline_re_trims()
    {
        using var ws = new SampleApiWorkspace();
        var publisher = new AppPublisher(new ProcessRunner());
        var trimmed = Path.Combine(ws.Root, "work", "trimmed");
        var items = Path.Combine(ws.Root, "work", "items.json");
        var saved = Directory.CreateDirectory(Path.Combine(ws.Root, "work", "first")).FullName;
        var reflected = Path.Combine(ws.Root, "SampleApi", "Reflected.cs");
        ws.Edit(ws.HelloFile, "\"Hello, World!\"", "Reflected.Get()");

        // The last trimmed build: the writer's methods, the reader's properties.
        File.WriteAllText(reflected, Reflected.Replace("FIRST", "writer").Replace("SECOND", "reader"));
        await publisher.PublishAsync(ws.ProjectFile, ImageBuildOptions.Default, trimmed, items, ResourceLog.None, Ct);
        File.Copy(Path.Combine(trimmed, "SampleApi.dll"), Path.Combine(saved, "SampleApi.dll"));
        File.Copy(Path.Combine(trimmed, "System.Formats.Tar.dll"), Path.Combine(saved, "System.Formats.Tar.dll"));

        // The edit: the reader's methods, the writer's properties. Same references, same strings, as the rule would see them.
        File.WriteAllText(reflected, Reflected.Replace("FIRST", "reader").Replace("SECOND", "writer"));
        await publisher.PublishAsync(ws.ProjectFile, ImageBuildOptions.Default, trimmed, items, ResourceLog.None, Ct);
        Assert.Equal(FrameworkSurface(Path.Combine(saved, "SampleApi.dll")), FrameworkSurface(Path.Combine(trimmed, "SampleApi.dll")));
        var lastTar = File.ReadAllBytes(Path.Combine(saved, "System.Formats.Tar.dll"));
        var newTar = File.ReadAllBytes(Path.Combine(trimmed, "System.Formats.Tar.dll"));
        Assert.NotEqual(lastTar, newTar);

        // What the edit means, from the untrimmed app; the pipeline's re-trimmed image answers the same.
        var untrimmed = Path.Combine(ws.Root, "work", "untrimmed");
        await publisher.PublishAsync(ws.ProjectFile, ImageBuildOptions.Fast, untrimmed, Path.Combine(ws.Root, "work", "fast-items.json"), ResourceLog.None, Ct);
        var expected = await SampleApiProcess.GetAsync(Path.Combine(untrimmed, "SampleApi"), "/", Ct);
        Assert.Equal(expected, await SampleApiProcess.GetAsync(Path.Combine(trimmed, "SampleApi"), "/", Ct));

        // The rule's image: the new app on the last trim's framework. It runs, and answers wrongly.
        File.Copy(Path.Combine(saved, "System.Formats.Tar.dll"), Path.Combine(trimmed, "System.Formats.Tar.dll"), overwrite: true);
        var reused = await SampleApiProcess.GetAsync(Path.Combine(trimmed, "SampleApi"), "/", Ct);
        Assert.NotEqual(expected, reused);
        TestContext.Current.TestOutputHelper?.WriteLine($"untrimmed and re-trimmed: {expected}; with the last trim's System.Formats.Tar ({lastTar.Length} bytes, re-trimmed {newTar.Length}): {reused}");
    }

    // Everything of the app's metadata that names the framework, in table order: assembly, type and member references
    // (with their signature blobs), type and method instantiations, and the strings its code loads.
    private static List<string> FrameworkSurface(string assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly));
        var md = pe.GetMetadataReader();
        var surface = new List<string>();
        surface.AddRange(md.AssemblyReferences.Select(h => md.GetAssemblyReference(h)).Select(r => $"assembly {md.GetString(r.Name)} {r.Version}"));
        surface.AddRange(md.TypeReferences.Select(h => md.GetTypeReference(h)).Select(t => $"type {md.GetString(t.Namespace)}.{md.GetString(t.Name)} in {Token(t.ResolutionScope)}"));
        surface.AddRange(md.MemberReferences.Select(h => md.GetMemberReference(h)).Select(m => $"member {Token(m.Parent)}::{md.GetString(m.Name)} {Blob(md, m.Signature)}"));
        for (var row = 1; row <= md.GetTableRowCount(TableIndex.TypeSpec); row++)
        {
            surface.Add($"typespec {Blob(md, md.GetTypeSpecification(MetadataTokens.TypeSpecificationHandle(row)).Signature)}");
        }

        for (var row = 1; row <= md.GetTableRowCount(TableIndex.MethodSpec); row++)
        {
            var spec = md.GetMethodSpecification(MetadataTokens.MethodSpecificationHandle(row));
            surface.Add($"methodspec {Token(spec.Method)} {Blob(md, spec.Signature)}");
        }

        for (var handle = MetadataTokens.UserStringHandle(1); !handle.IsNil; handle = md.GetNextHandle(handle))
        {
            surface.Add($"string {md.GetUserString(handle)}");
        }

        return surface;
    }

    private static string Token(EntityHandle handle) => MetadataTokens.GetToken(handle).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    private static string Blob(MetadataReader md, BlobHandle blob) => Convert.ToHexString(md.GetBlobBytes(blob));
}
