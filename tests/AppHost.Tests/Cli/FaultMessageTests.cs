using System.Net;
using System.Net.Sockets;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Resources.Image;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Cli;

/// <summary>
/// Broken surroundings, met by the real AppHost process as a user starts it: one line that says what happened and what
/// to do, exit code 1, no stack trace, and nothing started or changed (no container carries the environment's label).
/// </summary>
public sealed class FaultMessageTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(5);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Docker_not_running_names_the_endpoint_and_what_to_do()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"devenv-no-docker-{Guid.NewGuid():N}.sock");
        var (exitCode, output, docker) = await RunUpAsync(e => e["DOCKER_HOST"] = "unix://" + socket);
        await using var _ = docker;

        Assert.Equal(1, exitCode);
        var error = Assert.Single(output, l => l.Contains("error: ", StringComparison.Ordinal));
        Assert.Contains("Docker Engine", error, StringComparison.Ordinal);
        Assert.Contains(socket, error, StringComparison.Ordinal);
        Assert.Contains("DOCKER_HOST", error, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    // The resource service's and OTLP ports come from the launch profile under `dotnet run`: a taken one used to abort
    // the AppHost with a Kestrel stack trace (resource service) or leave a dashboard without telemetry (OTLP).
    [Theory]
    [InlineData("DEVENV_REGISTRY_PORT", "registry", "{0}")]
    [InlineData("DEVENV_DASHBOARD_PORT", "Aspire dashboard", "{0}")]
    [InlineData("ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL", "Aspire resource service", "http://127.0.0.1:{0}")]
    [InlineData("ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", "OTLP/HTTP endpoint", "http://127.0.0.1:{0}")]
    public async Task A_port_taken_by_another_process_names_the_port_how_to_find_the_holder_and_the_setting(string setting, string what, string format)
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var (exitCode, output, docker) = await RunUpAsync(e => e[setting] = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, port));
        await using var _ = docker;

        Assert.Equal(1, exitCode);
        var error = Assert.Single(output, l => l.Contains("error: ", StringComparison.Ordinal));
        Assert.Contains($"Port {port} on 127.0.0.1 is already in use", error, StringComparison.Ordinal);
        Assert.Contains(what, error, StringComparison.Ordinal);
        Assert.Contains(setting, error, StringComparison.Ordinal);
        AssertNoStackTrace(output);
        Assert.Empty(await docker.LabelledContainersAsync(Ct)); // nothing started
    }

    [Fact]
    public async Task Kind_and_kubectl_missing_fail_only_the_cluster_with_how_to_install_kind_while_the_registry_and_image_come_up()
    {
        var name = "t" + Guid.NewGuid().ToString("N")[..8];
        await using var docker = new DockerTestEnvironment(name);
        using var workspace = new SampleApiWorkspace();
        var state = Directory.CreateTempSubdirectory("devenv-fault-state-").FullName;
        try
        {
            var environment = UpProcessTests.Environment(name, workspace.Root, state, FreePort.Next(), FreePort.Next());
            environment["PATH"] = PathWithout(Path.Combine(state, "bin"), "kind", "kubectl");
            using var up = AppHostProcess.Start([], environment);
            var failed = await up.WaitForLineAsync("cluster: Failed", UpTimeout, Ct);
            Assert.Contains("'kind' was not found on PATH", failed, StringComparison.Ordinal);
            Assert.Contains("Install kind", failed, StringComparison.Ordinal);
            // kubectl is optional (the API is reached through KubernetesClient): its absence is no error of its own.
            await up.WaitForLineAsync("sampleapi-image: Running", UpTimeout, Ct);
            Assert.DoesNotContain(up.Output, l => l.Contains("'kubectl'", StringComparison.Ordinal));
            AssertNoStackTrace([.. up.Output]);
            await up.SendCtrlCAsync(Ct);
            await up.Process.WaitForExitAsync(Ct).WaitAsync(ExitTimeout, Ct);

            var down = await new ProcessRunner().RunAsync(AppHostProcess.Spec(["down", "--purge"], environment), ResourceLog.None, Ct);
            Assert.True(down.ExitCode == 0, $"down without kind failed:\n{down.Output}\n{down.Error}");
            Assert.Empty(await docker.LabelledContainersAsync(Ct));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    // A PATH of one folder holding links to every program on this PATH except the named ones: they are "not installed".
    private static string PathWithout(string folder, params string[] missing)
    {
        Directory.CreateDirectory(folder);
        foreach (var directory in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Where(Directory.Exists))
        {
            foreach (var program in Directory.EnumerateFiles(directory))
            {
                var link = Path.Combine(folder, Path.GetFileName(program));
                if (!missing.Contains(Path.GetFileName(program)) && !File.Exists(link))
                {
                    File.CreateSymbolicLink(link, program);
                }
            }
        }

        Assert.DoesNotContain(missing, m => File.Exists(Path.Combine(folder, m)));
        return folder;
    }

    private static async Task<(int ExitCode, IReadOnlyList<string> Output, DockerTestEnvironment Docker)> RunUpAsync(Action<Dictionary<string, string?>> change)
    {
        var name = "t" + Guid.NewGuid().ToString("N")[..8];
        var docker = new DockerTestEnvironment(name);
        using var workspace = new SampleApiWorkspace();
        var state = Directory.CreateTempSubdirectory("devenv-fault-state-").FullName;
        try
        {
            var environment = UpProcessTests.Environment(name, workspace.Root, state, FreePort.Next(), FreePort.Next());
            change(environment);
            using var up = AppHostProcess.Start([], environment);
            await up.Process.WaitForExitAsync(Ct).WaitAsync(ExitTimeout, Ct);
            return (up.Process.ExitCode, [.. up.Output], docker);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private static void AssertNoStackTrace(IReadOnlyList<string> output) =>
        Assert.DoesNotContain(output, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal) || l.Contains("Exception:", StringComparison.Ordinal));
}
