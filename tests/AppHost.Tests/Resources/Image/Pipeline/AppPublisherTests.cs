using System.Text;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Image;
using DevEnv.Hosting.Resources.Image.Pipeline;

using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.Image.Pipeline;

/// <summary>The publish command line, and a failing publish through the resource, with a runner that records command lines.</summary>
public sealed class AppPublisherTests
{
    [Fact]
    public void The_command_publishes_into_its_own_folder_and_asks_msbuild_for_the_items_as_json_in_english()
    {
        var spec = AppPublisher.Command("/src/SampleApi/SampleApi.csproj", ImageBuildOptions.Default, "/src/SampleApi/bin/devenv/trimmed-linux-x64", "/src/SampleApi/obj/devenv/trimmed-linux-x64/publish-items.json", Unset);

        Assert.Equal("dotnet publish /src/SampleApi/SampleApi.csproj -c Release -r linux-x64 --self-contained -p:PublishTrimmed=true "
            + "-p:CustomBeforeMicrosoftCommonProps=/src/SampleApi/obj/devenv/trimmed-linux-x64/DevEnv.EditorFiles.props -p:PublishDir=/src/SampleApi/bin/devenv/trimmed-linux-x64/ "
            + "-p:IntermediateOutputPath=obj/devenv/trimmed-linux-x64/msbuild/ -p:OutputPath=obj/devenv/trimmed-linux-x64/build/ "
            + "-getItem:ResolvedFileToPublish,ResolvedRuntimePack -getProperty:AppHostIntermediatePath -getResultOutputFile:/src/SampleApi/obj/devenv/trimmed-linux-x64/publish-items.json "
            + "-tl:off -nologo -v:m -clp:NoSummary", spec.ToString());
        Assert.Equal("/src/SampleApi", spec.WorkingDirectory);
        Assert.Equal("en", spec.Environment["DOTNET_CLI_UI_LANGUAGE"]);
        Assert.Equal("1", spec.Environment[MSBuildServerSetting.CliVariable]);
        Assert.Contains("**/.#*", AppPublisher.EditorFilesProps, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MSBuildServerSetting.CliVariable, "0")]
    [InlineData(MSBuildServerSetting.CliVariable, "false")]
    [InlineData(MSBuildServerSetting.MSBuildVariable, "0")]
    public void A_build_server_setting_of_the_users_is_inherited_unchanged(string variable, string value)
    {
        var spec = AppPublisher.Command("/src/SampleApi/SampleApi.csproj", ImageBuildOptions.Default, "/p", "/i/items.json",
            name => name is MSBuildServerSetting.CliVariable or MSBuildServerSetting.MSBuildVariable ? (name == variable ? value : null) : throw new InvalidOperationException($"read {name}"));

        Assert.False(spec.Environment.ContainsKey(MSBuildServerSetting.CliVariable));
    }

    [Fact]
    public async Task Through_the_MSBuild_server_a_publish_after_an_edit_has_the_edit_and_the_same_items()
    {
        // A developer's machine: the SDK's defaults, whatever this machine's environment switches off.
        var ct = TestContext.Current.CancellationToken;
        using var ws = new SampleApiWorkspace();
        var runner = new DeveloperMachineRunner(new ProcessRunner());
        var publisher = new AppPublisher(runner, Unset);
        var work = Path.Combine(ws.Root, "work");
        PublishedApp first, second;
        bool serverRan;
        try
        {
            first = await publisher.PublishAsync(ws.ProjectFile, ImageBuildOptions.Fast, Path.Combine(work, "publish"), Path.Combine(work, "items.json"), ResourceLog.None, ct);
            ws.Edit(ws.HelloFile, "\"Hello, World!\"", "\"Hello, server!\"");
            second = await publisher.PublishAsync(ws.ProjectFile, ImageBuildOptions.Fast, Path.Combine(work, "publish"), Path.Combine(work, "items.json"), ResourceLog.None, ct);
            serverRan = BuildServerRuns();
        }
        finally
        {
            // The server would otherwise idle on for 15 minutes after the test.
            await new ProcessRunner().RunAsync(new ProcessSpec("dotnet", ["build-server", "shutdown", "--msbuild"]), ResourceLog.None, CancellationToken.None);
        }

        Assert.All(runner.Specs, spec => Assert.Equal("1", spec.Environment[MSBuildServerSetting.CliVariable]));
        Assert.Equal(first.Files.Select(f => (f.RelativePath, f.Kind)), second.Files.Select(f => (f.RelativePath, f.Kind)));
        var app = File.ReadAllBytes(Path.Combine(work, "publish", "SampleApi.dll"));
        Assert.True(app.AsSpan().IndexOf(Encoding.Unicode.GetBytes("Hello, server!")) >= 0, "the second publish does not carry the edit");
        Assert.True(serverRan, "no MSBuild server process (/nodemode:8) runs after two publishes with it switched on");
    }

    // The variables the command reads about the build server, as on a machine that sets none of them.
    private static string? Unset(string name) =>
        name is MSBuildServerSetting.CliVariable or MSBuildServerSetting.MSBuildVariable ? null : throw new InvalidOperationException($"the command read {name}");

    private static bool BuildServerRuns() =>
        Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "cmdline")).Any(f =>
        {
            try
            {
                return File.ReadAllText(f).Contains("/nodemode:8", StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        });

    // Runs commands as on a developer's machine: without the settings CI machines use to switch the servers off, and
    // without the one `dotnet test` gives its test host (MSBUILDENSURESTDOUTFORTASKPROCESSES, which keeps MSBuild from
    // using its server).
    private sealed class DeveloperMachineRunner(IProcessRunner inner) : IProcessRunner
    {
        public List<ProcessSpec> Specs { get; } = [];

        public Task<ProcessResult> RunAsync(ProcessSpec spec, ResourceLog log, CancellationToken cancellationToken, Action<string, bool>? onLine = null)
        {
            Specs.Add(spec);
            var environment = new Dictionary<string, string?>(spec.Environment)
            {
                ["MSBUILDDISABLENODEREUSE"] = null, ["UseSharedCompilation"] = null, ["MSBUILDENSURESTDOUTFORTASKPROCESSES"] = null,
            };
            return inner.RunAsync(spec with { Environment = environment }, log, cancellationToken, onLine);
        }
    }

    [Fact]
    public async Task A_failing_publish_fails_the_resource_with_the_compiler_lines_and_uploads_nothing()
    {
        using var ws = new SampleApiWorkspace();
        var runner = new RecordingRunner(1, ["/src/SampleApi/Program.cs(4,11): error CS1002: ; expected [/src/SampleApi/SampleApi.csproj]"]);
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        var registry = new FakeOciRegistry();
        registry.Manifests["runtime-deps:10.0"] = new OciManifest("sha256:b", ImageDocuments.ManifestMediaType, new OciDescriptor(ImageDocuments.ConfigMediaType, "sha256:c", config.Length), []);
        registry.Blobs["sha256:c"] = config;
        var settings = new EnvironmentSettings { SourceRoot = ws.Root, RegistryPort = 5999 };
        var image = new ProjectImageResource("image", settings, runner, registry) { BaseImage = "localhost:5999/runtime-deps:10.0" };
        var notifications = new TestNotifications();
        var context = notifications.Context(image.Name);

        var result = await image.BuildAsync(context, TestContext.Current.CancellationToken);

        Assert.False(result.Success);
        Assert.Contains("error CS1002", result.Error);
        Assert.Equal(ResourceStates.Failed, notifications.Get(image.Name).State);
        Assert.StartsWith("dotnet publish ", Assert.Single(runner.Commands), StringComparison.Ordinal);
        Assert.Null(image.ComputeTag());
        await Assert.ThrowsAsync<ImageBuildFailedException>(() => image.StartAsync(context, TestContext.Current.CancellationToken));
    }

    private sealed class RecordingRunner(int exitCode, IReadOnlyList<string> stdout) : IProcessRunner
    {
        public List<string> Commands { get; } = [];

        public Task<ProcessResult> RunAsync(ProcessSpec spec, ResourceLog log, CancellationToken cancellationToken, Action<string, bool>? onLine = null)
        {
            Commands.Add(spec.ToString());
            foreach (var line in stdout)
            {
                onLine?.Invoke(line, false);
            }

            return Task.FromResult(new ProcessResult(spec, exitCode, stdout, [], TimeSpan.FromSeconds(1)));
        }
    }
}
