using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Resources.Image;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Cli;

/// <summary><c>status</c> of the real AppHost process names the engine it found and what that means for each path.</summary>
public sealed class StatusEngineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Status_prints_the_engine_and_its_telemetry_path_and_creates_nothing()
    {
        var name = "t" + Guid.NewGuid().ToString("N")[..8];
        await using var docker = new DockerTestEnvironment(name);
        using var workspace = new SampleApiWorkspace();
        var state = Directory.CreateTempSubdirectory("devenv-status-state-").FullName;
        try
        {
            var environment = UpProcessTests.Environment(name, workspace.Root, state, FreePort.Next(), FreePort.Next());
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromMinutes(3));

            var status = await new ProcessRunner().RunAsync(AppHostProcess.Spec(["status"], environment), ResourceLog.None, timeout.Token);

            Assert.True(status.ExitCode == 0, $"status failed ({status.ExitCode}):\n{status.Output}\n{status.Error}");
            var line = Assert.Single(status.StandardOutput, l => l.StartsWith("  engine: ", StringComparison.Ordinal));
            Assert.StartsWith("  engine: native dockerd ", line);
            Assert.Contains("pods' telemetry through the kind network's gateway on this host", line, StringComparison.Ordinal);
            Assert.Empty(await docker.LabelledContainersAsync(Ct));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }
}
