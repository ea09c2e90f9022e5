using DevEnv.Hosting.Clients.Kind;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Clients.Kind;

public sealed class KindClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_passes_name_config_our_kubeconfig_image_and_wait()
    {
        var runner = new FakeProcessRunner().On("kind create cluster");
        var client = new KindClient(runner);

        await client.CreateClusterAsync(
            new KindCreateOptions("devenv", "/s/kind-config.yaml", "/s/kubeconfig", "kindest/node:v1.36.1@sha256:abc", TimeSpan.FromMinutes(3)),
            ResourceLog.None, Ct);

        Assert.Equal(
            "kind create cluster --name devenv --config /s/kind-config.yaml --kubeconfig /s/kubeconfig --image kindest/node:v1.36.1@sha256:abc --wait 180s",
            Assert.Single(runner.CommandLines));
        Assert.Empty(runner.Calls[0].Environment);
    }

    [Fact]
    public async Task Create_on_another_network_sets_kinds_network_variable()
    {
        var runner = new FakeProcessRunner().On("kind create cluster");

        await new KindClient(runner).CreateClusterAsync(new KindCreateOptions("t1", "c", "k", Network: "t1-net"), ResourceLog.None, Ct);

        Assert.Equal("t1-net", runner.Calls[0].Environment["KIND_EXPERIMENTAL_DOCKER_NETWORK"]);
        Assert.DoesNotContain("--image", runner.CommandLines[0]);
        Assert.DoesNotContain("--wait", runner.CommandLines[0]);
    }

    [Fact]
    public async Task Get_clusters_and_nodes_read_names_from_stdout_only()
    {
        var runner = new FakeProcessRunner()
            .On("kind get clusters", stdout: "devenv\nother\n")
            .On("kind get nodes --name devenv", stdout: "devenv-control-plane\ndevenv-worker\ndevenv-worker2\n")
            .On("kind get nodes --name gone", stderr: "No kind nodes found for cluster \"gone\".");
        var client = new KindClient(runner);

        Assert.Equal(["devenv", "other"], await client.GetClustersAsync(ResourceLog.None, Ct));
        Assert.Equal(["devenv-control-plane", "devenv-worker", "devenv-worker2"], await client.GetNodesAsync("devenv", ResourceLog.None, Ct));
        Assert.Empty(await client.GetNodesAsync("gone", ResourceLog.None, Ct));
    }

    [Fact]
    public async Task Kubeconfig_is_returned_but_not_written_to_the_resource_log()
    {
        var runner = new FakeProcessRunner().On("kind get kubeconfig --name devenv", stdout: "apiVersion: v1\nusers:\n- name: secret-key-data");
        var logs = new TestLogs();

        var kubeconfig = await new KindClient(runner).GetKubeconfigAsync("devenv", logs.For("cluster"), Ct);

        Assert.Contains("secret-key-data", kubeconfig);
        Assert.DoesNotContain(logs.GetBacklog("cluster"), l => l.Text.Contains("secret-key-data", StringComparison.Ordinal));
        Assert.Contains(logs.GetBacklog("cluster"), l => l.Text.Contains("kind get kubeconfig --name devenv", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_names_our_kubeconfig_so_the_users_is_untouched()
    {
        var runner = new FakeProcessRunner().On("kind delete cluster");

        await new KindClient(runner).DeleteClusterAsync("devenv", "/home/u/.devenv/devenv/kubeconfig", ResourceLog.None, Ct);

        Assert.Equal("kind delete cluster --name devenv --kubeconfig /home/u/.devenv/devenv/kubeconfig", Assert.Single(runner.CommandLines));
    }

    [Fact]
    public async Task Missing_kind_says_how_to_install_it()
    {
        var runner = new FakeProcessRunner();
        runner.Missing.Add("kind");

        var ex = await Assert.ThrowsAsync<ToolNotFoundException>(() => new KindClient(runner).GetVersionAsync(ResourceLog.None, Ct));

        Assert.Equal("kind", ex.Tool);
        Assert.Contains("go install sigs.k8s.io/kind@", ex.Message);
        Assert.Contains("kind.sigs.k8s.io/dl/", ex.Message);
        Assert.Contains("apt-get install kind", ex.Message);
    }

    [Fact]
    public async Task Missing_kind_is_detected_through_the_real_runner()
    {
        var ex = await Assert.ThrowsAsync<ToolNotFoundException>(
            () => new KindClient(new ProcessRunner(), "devenv-no-such-kind").GetClustersAsync(ResourceLog.None, Ct));

        Assert.Contains("Install kind", ex.Message);
    }

    [Fact]
    public async Task A_failing_create_throws_with_the_pasteable_command_and_stderr()
    {
        var runner = new FakeProcessRunner().On("kind create cluster", exitCode: 1,
            stderr: "ERROR: failed to create cluster: failed to pull image \"kindest/node:v1.36.1\"");

        var ex = await Assert.ThrowsAsync<ProcessFailedException>(
            () => new KindClient(runner).CreateClusterAsync(new KindCreateOptions("devenv", "c.yaml", "k"), ResourceLog.None, Ct));

        Assert.Contains("kind create cluster --name devenv", ex.Message);
        Assert.Contains("failed to pull image", ex.Message);
    }

    [Fact]
    public async Task The_fake_runner_refuses_a_command_it_was_not_told_about()
    {
        var runner = new FakeProcessRunner().On("kind get clusters");

        var ex = await Assert.ThrowsAsync<UnscriptedCommandException>(() => new KindClient(runner).GetVersionAsync(ResourceLog.None, Ct));

        Assert.Equal("kind version", ex.Spec.ToString());
    }
}
