using System.ComponentModel;
using System.Runtime.InteropServices;

namespace DevEnv.Diagnostics.Agent;

/// <summary>
/// A named pipe in the shared /tmp. The runtime writes a dump with createdump, a child of the app, so the dump's path is
/// opened in the app's container, where only /tmp is writable and small (the pod's emptyDir); a pipe there holds no
/// data, it hands createdump's writes straight to the agent. .NET has no API that makes one, hence libc's mkfifo.
/// </summary>
internal static partial class Fifo
{
    /// <summary>Creates the pipe, readable and writable by this user only (the app runs as the same user).</summary>
    public static void Create(string path)
    {
        if (MkFifo(path, Convert.ToUInt32("600", 8)) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"mkfifo {path}");
        }
    }

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MkFifo(string path, uint mode);
}
