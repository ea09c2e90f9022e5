using Aspire.Hosting.ApplicationModel;
using DevEnv.AppHost.Tests.Support;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Resources.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace DevEnv.AppHost.Tests.Resources.Diagnostics;

/// <summary>
/// The pod resources' commands as Aspire has them: published through the real notification service, their state follows
/// the pod's, and running one (here against a real SampleApi process, the harness's pod) writes the file and its progress
/// to the pod's console log in Aspire's real logger service.
/// </summary>
public sealed class PodDiagnosticsCommandsTests : SampleApiProcessTest
{
    private const string PodName = "sampleapi-5c8d7-qwert";
    private readonly TestNotifications _notifications = new();

    [Fact]
    public async Task A_ready_pod_has_the_diagnostics_commands_enabled_and_a_gone_pod_has_them_disabled()
    {
        var (publisher, deployment) = Publisher();

        publisher.Publish(deployment, [new PodState { Name = PodName, Phase = "Running", Ready = true }]);
        var ready = await _notifications.Service.WaitForResourceAsync(PodName, e => e.Snapshot.State?.Text == "Ready", Ct);
        var commands = ready.Snapshot.Commands.ToDictionary(c => c.Name, c => c.State);
        Assert.Equal(ResourceCommandState.Enabled, commands[PodDiagnosticsCommands.CollectTrace]);
        Assert.Equal(ResourceCommandState.Enabled, commands[PodDiagnosticsCommands.CollectFullDump]);
        Assert.Equal(ResourceCommandState.Enabled, commands[PodDiagnosticsCommands.CollectHeapDump]);
        Assert.Equal(ResourceCommandState.Enabled, commands[PodDiagnosticsCommands.CollectGcHeap]);
        Assert.Equal(ResourceCommandState.Enabled, commands[PodDiagnosticsCommands.AttachDebugger]);

        publisher.Publish(deployment, []);
        var gone = await _notifications.Service.WaitForResourceAsync(PodName, e => e.Snapshot.State?.Text == "Gone", Ct);
        Assert.All(gone.Snapshot.Commands.Where(c => c.Name.StartsWith("collect", StringComparison.Ordinal)), c => Assert.Equal(ResourceCommandState.Disabled, c.State));
    }

    [Fact]
    public async Task Collect_heap_dump_from_the_pod_menu_writes_the_file_and_logs_its_path_and_size_in_the_pods_console_log()
    {
        var (publisher, deployment) = Publisher();
        publisher.Publish(deployment, [new PodState { Name = PodName, Phase = "Running", Ready = true }]);
        var pod = (await _notifications.Service.WaitForResourceAsync(PodName, e => e.Snapshot.State?.Text == "Ready", Ct)).Resource;
        var log = _notifications.Loggers.WatchAsync(pod).GetAsyncEnumerator(Ct);
        var first = log.MoveNextAsync();

        var result = await Run(pod, PodDiagnosticsCommands.CollectHeapDump);

        Assert.True(result.Success, result.Message);
        var file = Assert.Single(Directory.GetFiles(Path.Combine(State, "diagnostics", PodName), "*.dmp"));
        Assert.StartsWith(file + " (", result.Message);
        var lines = new List<string>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        var next = first;
        while (!lines.Any(l => l.Contains("dump-heap written: " + file, StringComparison.Ordinal)))
        {
            Assert.True(await next.AsTask().WaitAsync(deadline.Token), "the pod's log ended");
            lines.AddRange(log.Current.Select(l => l.Content));
            next = log.MoveNextAsync();
        }

        Assert.Contains(lines, l => l.Contains("agent: dumping process", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Attach_a_debugger_writes_a_vs_code_attach_configuration_through_kubectl_exec_into_the_diagnostics_container()
    {
        var (publisher, deployment) = Publisher();
        publisher.Publish(deployment, [new PodState { Name = PodName, Phase = "Running", Ready = true }]);
        var pod = (await _notifications.Service.WaitForResourceAsync(PodName, e => e.Snapshot.State?.Text == "Ready", Ct)).Resource;

        var result = await Run(pod, PodDiagnosticsCommands.AttachDebugger);

        Assert.True(result.Success, result.Message);
        var file = Assert.Single(Directory.GetFiles(Path.Combine(State, "diagnostics", PodName), "attach-vscode-*.json"));
        var configuration = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(file, Ct))!["configurations"]![0]!;
        Assert.Equal("coreclr", (string?)configuration["type"]);
        Assert.Equal("attach", (string?)configuration["request"]);
        Assert.Equal("1", (string?)configuration["processId"]);
        Assert.Equal(
            ["--kubeconfig", "/state/kubeconfig", "--context", "kind-diag", "exec", "-i", "-n", "default", PodName, "-c", KubernetesAgentRunner.ContainerName, "--"],
            configuration["pipeTransport"]!["pipeArgs"]!.AsArray().Select(a => (string)a!).ToArray());
        Assert.Equal("/src", (string?)configuration["sourceFileMap"]!["/app"]);
        Assert.Contains("Rider", result.Message + (result.Details ?? ""));
    }

    private async Task<DevEnv.Hosting.Model.CommandResult> Run(IResource pod, string name)
    {
        var annotation = pod.Annotations.OfType<ResourceCommandAnnotation>().Single(a => a.Name == name);
        // As Aspire's command service runs it: the resource's own console logger.
        var result = await annotation.ExecuteCommand(new ExecuteCommandContext
        {
            Services = new ServiceCollection().BuildServiceProvider(),
            ResourceName = pod.Name,
            Logger = _notifications.Loggers.GetLogger(pod),
            Arguments = new Aspire.Hosting.InteractionInputCollection([]),
            CancellationToken = Ct,
        });
        return new DevEnv.Hosting.Model.CommandResult(result.Success, result.Message ?? "") { Details = result.Data?.Value };
    }

    private (PodPublisher Publisher, DevEnv.Hosting.Model.ResourceContext Deployment) Publisher()
    {
        var folder = new DiagnosticsFolder(State);
        var diagnostics = new PodDiagnostics(new LocalAgentRunner(DiagnosticsTools.Agent, p => p.Pod == PodName ? App.Pid : null), folder, "unused", TimeProvider.System);
        var commands = new PodDiagnosticsCommands(diagnostics, new DebuggerAttach("/state/kubeconfig", "kind-diag", "/src"), folder,
            r => new PodTarget("default", r.Name, "sampleapi"), TimeProvider.System);
        return (new PodPublisher { Diagnostics = commands }, _notifications.Context("sampleapi-deployment"));
    }
}
