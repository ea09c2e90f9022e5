using DevEnv.AppHost.Tests.Support;
using DevEnv.Hosting.Cli;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;
using k8s;
using k8s.Models;

namespace DevEnv.AppHost.Tests.AppModel;

/// <summary>
/// DevEnv as a package in a team's own AppHost (tests/Fixtures/TeamApp: Aspire's AppHost SDK, Aspire.Hosting.Redis, a
/// plain web front end and a ServiceDefaults service): <c>dotnet pack</c> makes the package into a folder feed, the
/// team's AppHost restores it like any NuGet package, its <c>manifests</c> verb renders the whole model, and its
/// <c>build</c> verb publishes both projects' images into a real registry (fast mode: the quick loop's image).
/// </summary>
public sealed class TeamAppPackageTests : IDisposable
{
    private const string ApiKey = "team-key-77d1";
    private static readonly TimeSpan DotnetTimeout = TimeSpan.FromMinutes(8);
    private readonly string _work = Directory.CreateTempSubdirectory("devenv-team-package-").FullName;
    private readonly string _version = "0.1.0-test." + Guid.NewGuid().ToString("N")[..8];
    private readonly string _name = "t" + Guid.NewGuid().ToString("N")[..8];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Directory.Delete(_work, recursive: true);
        // The test version is in NuGet's global folder now; nobody else will ever restore it.
        var cached = Path.Combine(NuGetPackagesFolder(), "devenv.hosting", _version);
        if (Directory.Exists(cached))
        {
            Directory.Delete(cached, recursive: true);
        }
    }

    [Fact]
    public async Task A_team_apphost_that_references_the_package_renders_its_whole_model()
    {
        var root = DevEnv.Hosting.Configuration.EnvironmentSettings.FindSourceRoot();
        var feed = Path.Combine(_work, "feed");
        var appHost = Path.Combine(root, "tests", "Fixtures", "TeamApp", "AppHost", "TeamApp.AppHost.csproj");
        await DotnetAsync(root, "pack", Path.Combine(root, "AppHost", "DevEnv.Hosting", "DevEnv.Hosting.csproj"), "-c", "Release", "-o", feed, $"-p:Version={_version}", "-nologo");
        Assert.True(File.Exists(Path.Combine(feed, $"DevEnv.Hosting.{_version}.nupkg")));
        await DotnetAsync(root, "build", appHost, "-c", "Release", "-nologo", $"-p:DevEnvHostingVersion={_version}", $"-p:RestoreAdditionalProjectSources={feed}");

        var manifests = await DotnetAsync(root, "run", "--no-build", "-c", "Release", "--project", appHost, "--", "manifests",
            $"--DEVENV_STATE_DIR={Path.Combine(_work, "state")}", "--DEVENV_NAME=teamapp", $"--Parameters:apikey={ApiKey}");

        var kubernetes = ManifestsVerb.Join(manifests.Output.Split("---\n", StringSplitOptions.RemoveEmptyEntries).Skip(1));
        Assert.Empty(KubernetesSchema.Instance.Validate(kubernetes));
        var objects = KubernetesYaml.LoadAllFromString(kubernetes).Cast<IKubernetesObject<V1ObjectMeta>>().ToList();
        var deployments = objects.OfType<V1Deployment>().ToDictionary(d => d.Metadata.Name, d => d.Spec.Template.Spec.Containers.Single());
        Assert.Equal(["cache", "frontend", "orders"], deployments.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("http://orders:8080", deployments["frontend"].Env.Single(e => e.Name == "services__orders__http__0").Value);
        Assert.Equal("orders-env", deployments["orders"].Env.Single(e => e.Name == "ConnectionStrings__cache").ValueFrom.SecretKeyRef.Name);
        Assert.Equal("/app/TeamOrders", deployments["orders"].Lifecycle.PreStop.Exec.Command[0]);
        Assert.Equal(31000, objects.OfType<V1Service>().Single(s => s.Metadata.Name == "frontend").Spec.Ports.Single().NodePort);
        Assert.DoesNotContain(ApiKey, manifests.Output + manifests.Error, StringComparison.Ordinal);

        // Both projects' images, built at once on one base (seeded once), pushed to the environment's registry.
        var port = FreePort.Next();
        string[] environment = [$"--DEVENV_STATE_DIR={Path.Combine(_work, "state")}", "--DEVENV_NAME=" + _name, $"--DEVENV_REGISTRY_PORT={port}",
            $"--DEVENV_REGISTRY_IMAGE={Clients.Docker.DockerTestEnvironment.RegistryImage}", $"--DEVENV_BASE_IMAGE={Clients.Docker.DockerTestEnvironment.FixtureBaseImage}"];
        try
        {
            await DotnetAsync(root, ["run", "--no-build", "-c", "Release", "--project", appHost, "--", "build", "--DEVENV_IMAGE_MODE=fast", $"--Parameters:apikey={ApiKey}", .. environment]);
            var registry = DevEnv.Hosting.Clients.Oci.OciRegistryClient.ForHost("127.0.0.1", port);
            Assert.Single(await registry.GetTagsAsync("orders", Ct), t => t.StartsWith("src-", StringComparison.Ordinal));
            Assert.Single(await registry.GetTagsAsync("frontend", Ct), t => t.StartsWith("src-", StringComparison.Ordinal));
        }
        finally
        {
            await DotnetAsync(root, ["run", "--no-build", "-c", "Release", "--project", appHost, "--", "down", "--purge", .. environment]);
        }
    }

    private static async Task<ProcessResult> DotnetAsync(string root, params string[] arguments)
    {
        var result = await new ProcessRunner().RunAsync(new ProcessSpec("dotnet", arguments) { WorkingDirectory = root }, ResourceLog.None, Ct).WaitAsync(DotnetTimeout, Ct);
        Assert.True(result.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed ({result.ExitCode}):\n{result.Output}\n{result.Error}");
        return result;
    }

    private static string NuGetPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder ? folder : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
