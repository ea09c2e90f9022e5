using System.Security.Cryptography;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Clients.Oci.Remote;
using DevEnv.AppHost.Tests.Resources.Image;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Cli;

/// <summary>
/// <c>build</c> of Program.cs with DEVENV_REGISTRY pointing at a real TLS registry with htpasswd auth: no registry
/// container of ours, the base copied there from the engine, SampleApi published and pushed with the credentials of a
/// docker config file, and skopeo pulling the pushed image back with the same credentials.
/// </summary>
public sealed class RemoteBuildTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Build_pushes_to_a_TLS_registry_with_docker_config_credentials_and_skopeo_pulls_what_it_pushed()
    {
        using var ws = new SampleApiWorkspace();
        await using var registry = await SecureRegistry.StartWithHtpasswdAsync(Ct);
        var dockerConfig = registry.WriteDockerConfig();
        var state = Path.Combine(registry.Folder, "state");
        var environment = new Dictionary<string, string?>
        {
            ["DEVENV_NAME"] = registry.Name,
            ["DEVENV_SOURCE_ROOT"] = ws.Root,
            ["DEVENV_STATE_DIR"] = state,
            ["DEVENV_REGISTRY"] = $"{registry.Host}/team/devenv",
            ["DEVENV_REGISTRY_CA_FILE"] = registry.CaFile,
            ["DOCKER_CONFIG"] = dockerConfig,
            ["DEVENV_BASE_IMAGE"] = DockerTestEnvironment.FixtureBaseImage,
            ["DEVENV_IMAGE_MODE"] = "fast",
        };
        var runner = new ProcessRunner();

        var build = await runner.RunAsync(AppHostProcess.Spec(["build"], environment), ResourceLog.None, Ct);

        Assert.True(build.ExitCode == 0, $"build failed:\n{build.Output}\n{build.Error}");
        var all = build.Output + "\n" + build.Error;
        Assert.DoesNotContain(SecureRegistry.Password, all, StringComparison.Ordinal);
        var reference = System.Text.RegularExpressions.Regex.Match(all, $@"{System.Text.RegularExpressions.Regex.Escape(registry.Host)}/team/devenv/sampleapi:src-[0-9a-f]{{12}}").Value;
        Assert.NotEmpty(reference);

        var pulled = Path.Combine(registry.Folder, "pulled");
        var copy = await runner.RunAsync(new ProcessSpec("skopeo",
            ["copy", "--src-authfile", Path.Combine(dockerConfig, "config.json"), "--src-cert-dir", registry.CertDirectory, $"docker://{reference}", $"dir:{pulled}"]),
            ResourceLog.None, Ct);
        Assert.True(copy.ExitCode == 0, $"skopeo copy failed: {copy.Error}");
        var manifest = await File.ReadAllBytesAsync(Path.Combine(pulled, "manifest.json"), Ct);
        // The tag is the image's own digest: what skopeo pulled is the image build pushed.
        Assert.Equal(reference[^12..], Convert.ToHexStringLower(SHA256.HashData(manifest))[..12]);
        // No registry container of ours: named <name>-registry was started for a remote target.
        var ours = await runner.RunAsync(new ProcessSpec("docker", ["ps", "-aq", "--filter", $"name={registry.Name}-registry"]), ResourceLog.None, Ct);
        Assert.DoesNotContain(ours.StandardOutput, l => l.Length > 0);
    }
}
