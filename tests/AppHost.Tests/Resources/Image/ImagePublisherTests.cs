using DevEnv.AppHost.Clients.Process;
using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Model;
using DevEnv.AppHost.Resources.Image;

using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.Image;

/// <summary>The publish command line and the failure path, with a runner that records command lines.</summary>
public sealed class ImagePublisherTests
{
    [Fact]
    public void The_command_publishes_self_contained_trimmed_to_the_registry_with_the_content_tag()
    {
        var spec = ImagePublisher.Command("/src/SampleApi/SampleApi.csproj", "localhost:5001", "sampleapi", "src-0123456789ab", "base:1", ImageBuildOptions.Default);

        Assert.Equal("dotnet publish /src/SampleApi/SampleApi.csproj -c Release -r linux-x64 --self-contained -p:PublishTrimmed=true "
            + "-p:PublishDir=/src/SampleApi/bin/devenv/trimmed/ -t:PublishContainer -p:ContainerRegistry=localhost:5001 -p:ContainerRepository=sampleapi -p:ContainerImageTags=src-0123456789ab -p:ContainerBaseImage=base:1 "
            + "-tl:off -nologo -v:m -clp:NoSummary", spec.ToString());
        Assert.Equal("/src/SampleApi", spec.WorkingDirectory);
        Assert.Contains("-p:PublishTrimmed=false", ImagePublisher.Command("p", "r", "s", "t", "b", ImageBuildOptions.Fast).Arguments);
    }

    [Fact]
    public async Task A_failing_publish_fails_the_resource_with_the_compiler_lines()
    {
        using var ws = new SampleApiWorkspace();
        var runner = new RecordingRunner(1, ["/src/SampleApi/Program.cs(4,11): error CS1002: ; expected [/src/SampleApi/SampleApi.csproj]"]);
        var notifications = new TestNotifications();
        var image = new ProjectImageResource("image", new EnvironmentSettings { SourceRoot = ws.Root }, runner, new FakeOciRegistry());
        var context = notifications.Context(image.Name);

        var result = await image.BuildAsync(context, TestContext.Current.CancellationToken);

        Assert.False(result.Success);
        Assert.Contains("error CS1002", result.Error);
        Assert.Equal(ResourceStates.Failed, notifications.Get(image.Name).State);
        var command = Assert.Single(runner.Commands);
        Assert.Contains($"-p:ContainerImageTags={image.ComputeTag()}", command);
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
