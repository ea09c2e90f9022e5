using DevEnv.AppHost.Clients.Kubectl;
using DevEnv.AppHost.Clients.Process;
using DevEnv.AppHost.Model;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Clients.Kubectl;

public sealed class KubectlClientTests
{
    private const string Prefix = "kubectl --kubeconfig /s/kubeconfig --context kind-devenv";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static KubectlClient Client(FakeProcessRunner runner) => new(runner, new KubectlArguments("/s/kubeconfig", "kind-devenv"));

    [Fact]
    public async Task Every_call_names_our_kubeconfig_and_context()
    {
        var runner = new FakeProcessRunner()
            .On("get nodes", stdout: """{"items":[]}""")
            .On("get pods", stdout: """{"items":[]}""")
            .On("get events", stdout: """{"items":[]}""")
            .On("get deployment", stdout: """{"spec":{"replicas":1},"status":{}}""");
        var client = Client(runner);

        await client.ApplyAsync("kind: ConfigMap", ResourceLog.None, Ct);
        await client.GetNodesAsync(ResourceLog.None, Ct);
        await client.WaitForNodesReadyAsync(TimeSpan.FromSeconds(5), ResourceLog.None, Ct);
        await client.WaitForRolloutAsync("sampleapi", "app=x", TimeSpan.FromSeconds(5), ResourceLog.None, Ct);
        await client.RestartRolloutAsync("sampleapi", ResourceLog.None, Ct);
        await client.ScaleAsync("sampleapi", 2, ResourceLog.None, Ct);
        await client.GetDeploymentAsync("sampleapi", ResourceLog.None, Ct);
        await client.GetPodsAsync("app=x", ResourceLog.None, Ct);
        await client.GetLogTailAsync("p", 5, previous: true, ResourceLog.None, Ct);

        Assert.Equal(10, runner.Calls.Count);
        Assert.All(runner.CommandLines, line => Assert.StartsWith(Prefix + " ", line));
        // The version check runs without a cluster, so it is the one call without them.
        await client.GetClientVersionAsync(ResourceLog.None, Ct);
        Assert.Equal("kubectl version --client --output=json", runner.CommandLines[^1]);
    }

    [Fact]
    public async Task Apply_is_server_side_with_our_field_manager_and_the_yaml_on_stdin()
    {
        var runner = new FakeProcessRunner();

        await Client(runner).ApplyAsync("apiVersion: v1\nkind: ConfigMap\n", ResourceLog.None, Ct);

        Assert.Equal(Prefix + " apply --server-side --field-manager=devenv --force-conflicts -f -", runner.CommandLines[0]);
        Assert.Equal("apiVersion: v1\nkind: ConfigMap\n", runner.Calls[0].StandardInput);
    }

    [Fact]
    public async Task Workload_commands_are_pinned()
    {
        var runner = new FakeProcessRunner();
        var client = Client(runner);

        await client.WaitForRolloutAsync("sampleapi", "app=x", TimeSpan.FromSeconds(90), ResourceLog.None, Ct);
        await client.RestartRolloutAsync("sampleapi", ResourceLog.None, Ct);
        await client.ScaleAsync("sampleapi", 5, ResourceLog.None, Ct);

        Assert.Equal(
        [
            Prefix + " --namespace default rollout status deployment/sampleapi --watch=true --timeout=90s",
            Prefix + " --namespace default rollout restart deployment/sampleapi --field-manager=devenv",
            Prefix + " --namespace default scale deployment/sampleapi --replicas=5",
        ], runner.CommandLines);
    }

    [Fact]
    public async Task A_rollout_timeout_reports_the_failing_pods_events_and_last_log_lines()
    {
        var runner = new FakeProcessRunner()
            .On("rollout status", exitCode: 1, stderr: "error: timed out waiting for the condition")
            .On("get pods", stdout: KubectlJsonTests.PodsJson)
            .On("involvedObject.name=sampleapi-7d9c-bad", stdout: """
                {"items":[{"involvedObject":{"name":"sampleapi-7d9c-bad"},"type":"Warning","reason":"Unhealthy","message":"Readiness probe failed: HTTP probe failed with statuscode: 503","count":7}]}
                """)
            .On("get events", stdout: """{"items":[]}""")
            .On("logs sampleapi-7d9c-bad --all-containers=true --tail=15 --previous", stdout: "Unhandled exception. System.InvalidOperationException: boom\n   at Program.<Main>$");
        var client = Client(runner);

        var ex = await Assert.ThrowsAsync<RolloutFailedException>(
            () => client.WaitForRolloutAsync("sampleapi", "app.kubernetes.io/name=sampleapi", TimeSpan.FromSeconds(30), ResourceLog.None, Ct));

        Assert.Contains("Deployment 'sampleapi' did not finish rolling out within 30s", ex.Message);
        Assert.Contains("timed out waiting for the condition", ex.Message);
        Assert.Contains("Pod sampleapi-7d9c-bad: phase Running, ready False, restarts 2, CrashLoopBackOff", ex.Message);
        Assert.Contains("Readiness probe failed: HTTP probe failed with statuscode: 503 (x7)", ex.Message);
        Assert.Contains("log: Unhandled exception. System.InvalidOperationException: boom", ex.Message);
        Assert.DoesNotContain("sampleapi-7d9c-good", ex.Message);
        Assert.Equal("sampleapi-7d9c-bad", Assert.Single(ex.FailingPods).Name);
    }

    [Fact]
    public async Task Missing_deployment_is_null_not_an_error()
    {
        var runner = new FakeProcessRunner().On("get deployment", exitCode: 1,
            stderr: "Error from server (NotFound): deployments.apps \"sampleapi\" not found");

        Assert.Null(await Client(runner).GetDeploymentAsync("sampleapi", ResourceLog.None, Ct));
    }

    [Fact]
    public async Task Missing_kubectl_says_how_to_install_it()
    {
        var runner = new FakeProcessRunner();
        runner.Missing.Add("kubectl");

        var ex = await Assert.ThrowsAsync<ToolNotFoundException>(() => Client(runner).GetClientVersionAsync(ResourceLog.None, Ct));

        Assert.Contains("Install kubectl", ex.Message);
        Assert.Contains("kubernetes.io/docs/tasks/tools", ex.Message);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Log_streaming_prefixes_lines_with_the_pod_and_ends_when_cancelled()
    {
        // A real process stands in for kubectl: prints prefixed lines, then follows forever until killed.
        var script = Path.Combine(Path.GetTempPath(), $"fake-kubectl-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho \"$@\" >&2\necho '[pod/sampleapi-1/sampleapi] started'\necho '[pod/sampleapi-2/sampleapi] started'\nexec sleep 60\n", Ct);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var client = new KubectlClient(new ProcessRunner(), new KubectlArguments("/s/kubeconfig", "kind-devenv"), script);
            var lines = new List<string>();
            var twoLines = new TaskCompletionSource();
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

            var streaming = client.StreamLogsAsync("app=x", line =>
            {
                lock (lines)
                {
                    lines.Add(line);
                    if (lines.Count(l => l.StartsWith("[pod/", StringComparison.Ordinal)) == 2)
                    {
                        twoLines.TrySetResult();
                    }
                }
            }, cts.Token);
            await twoLines.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);
            cts.Cancel();
            await streaming.WaitAsync(TimeSpan.FromSeconds(20), Ct);

            Assert.Contains("[pod/sampleapi-1/sampleapi] started", lines);
            Assert.Contains(lines, l => l.Contains("logs --follow --selector=app=x --prefix=true", StringComparison.Ordinal)
                                        && l.Contains("--kubeconfig /s/kubeconfig --context kind-devenv", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(script);
        }
    }
}
