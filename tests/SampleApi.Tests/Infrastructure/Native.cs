using System.Runtime.InteropServices;

namespace DevEnv.SampleApi.Tests.Infrastructure;

/// <summary>Signals sent the way the kubelet's container runtime sends them.</summary>
internal static partial class Native
{
    public const int SigTerm = 15;

    public const int SigKill = 9;

    public static void SendSignal(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int sig);
}
