using System.Text.Json;
using System.Text.Json.Nodes;

namespace DevEnv.Hosting.Resources.Diagnostics;

/// <summary>
/// What a debugger needs to attach to a pod's app: VS Code's C# debugger (and Visual Studio's, which reads the same
/// launch.json shape) reach vsdbg in the pod through <c>kubectl exec</c> as a pipe transport, through the API server; the
/// process is the app (pid 1 of the app container's process namespace, which the diagnostics container shares); the
/// sources are where the PDBs say they were built, this machine's folder, mapped from the image's /app too.
/// </summary>
/// <param name="KubeconfigPath">The environment's own kubeconfig (the user's is never changed).</param>
/// <param name="Context">Its context.</param>
/// <param name="SourceRoot">The local folder of the sources the image was built from.</param>
public sealed record DebuggerAttach(string KubeconfigPath, string Context, string SourceRoot)
{
    /// <summary>Where vsdbg is expected in the diagnostics container (it is not redistributable, so DevEnv cannot put it in the tools image).</summary>
    public const string DebuggerPath = "/tmp/vsdbg/vsdbg";

    /// <summary>VS Code's launch.json configuration for <paramref name="pod"/>.</summary>
    public JsonObject VsCodeConfiguration(PodTarget pod, int processId = 1) => new()
    {
        ["name"] = $"Attach to {pod.Pod} (DevEnv)",
        ["type"] = "coreclr",
        ["request"] = "attach",
        ["processId"] = processId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["justMyCode"] = true,
        ["pipeTransport"] = new JsonObject
        {
            ["pipeProgram"] = "kubectl",
            ["pipeArgs"] = new JsonArray("--kubeconfig", KubeconfigPath, "--context", Context, "exec", "-i", "-n", pod.Namespace, pod.Pod,
                "-c", KubernetesAgentRunner.ContainerName, "--"),
            ["debuggerPath"] = DebuggerPath,
            ["pipeCwd"] = "${workspaceFolder}",
            ["quoteArgs"] = false,
        },
        ["sourceFileMap"] = new JsonObject { ["/app"] = SourceRoot, [SourceRoot] = "${workspaceFolder}" },
    };

    /// <summary>Writes the configuration next to the pod's other files and returns its path.</summary>
    public string Write(DiagnosticsFolder folder, PodTarget pod, DateTimeOffset now)
    {
        var path = folder.NewFile(pod.Pod, "attach-vscode", ".json", now);
        var document = new JsonObject { ["version"] = "0.2.0", ["configurations"] = new JsonArray(VsCodeConfiguration(pod)) };
        File.WriteAllText(path, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    /// <summary>The steps, in Markdown, for the command's result.</summary>
    public string Steps(PodTarget pod, string path) =>
        $"""
        **VS Code** (C# extension): copy the configuration in `{path}` into `.vscode/launch.json`, then Run and Debug ▸ *Attach to {pod.Pod} (DevEnv)*.
        It runs `kubectl exec -i {pod.Pod} -c {KubernetesAgentRunner.ContainerName}` (through the API server) and starts vsdbg there; the
        diagnostics container shares the app's process namespace, so the app is process 1. vsdbg is not redistributable: put it in the
        pod's /tmp volume once (`{DebuggerPath}`) or build the tools image with it. Use a fast-mode image (`DEVENV_IMAGE_MODE=fast`): the
        trimmed image leaves out the runtime's debugger components (libmscordbi.so, libmscordaccore.so, 4.0 MB).

        **Visual Studio**: Debug ▸ Other Debug Targets ▸ *Debug .NET Core on Linux* does not reach a pod; use the same file with
        `DebugAdapterHost.Launch /LaunchJson:{path}` in the Command Window.

        **Rider**: attaches over SSH only (no pipe transport); there is no SSH in DevEnv's images, so Rider cannot attach to a pod. Use
        Collect dump and open the dump in Rider instead.
        """;
}
