using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using DevEnv.Hosting.Model;

namespace DevEnv.Hosting.Clients.Process;

/// <summary>Runs real processes: arguments as a list, output captured line by line, tree killed on cancel.</summary>
public sealed class ProcessRunner : IProcessRunner
{
    /// <inheritdoc />
    public async Task<ProcessResult> RunAsync(ProcessSpec spec, ResourceLog log, CancellationToken cancellationToken, Action<string, bool>? onLine = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var startInfo = new ProcessStartInfo(spec.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in spec.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in spec.Environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(key);
            }
            else
            {
                startInfo.Environment[key] = value;
            }
        }

        var stdout = new List<string>();
        var stderr = new List<string>();
        using var process = new System.Diagnostics.Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Capture(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => Capture(e.Data, isError: true);

        var stopwatch = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (Win32Exception ex) when (ex.NativeErrorCode == 2)
        {
            throw new ToolNotFoundException(spec.FileName);
        }

        log.Info("$ " + spec);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (spec.StandardInput is not null)
        {
            await process.StandardInput.WriteAsync(spec.StandardInput).ConfigureAwait(false);
        }

        process.StandardInput.Close();

        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await StopAsync(process, spec.InterruptGrace, log).ConfigureAwait(false);
            throw;
        }

        // WaitForExitAsync returns after the output streams reach end of file, so the lists are complete.
        lock (stdout)
        {
            return new ProcessResult(spec, process.ExitCode, stdout.ToArray(), stderr.ToArray(), stopwatch.Elapsed);
        }

        void Capture(string? line, bool isError)
        {
            if (line is null)
            {
                return;
            }

            lock (stdout)
            {
                (isError ? stderr : stdout).Add(line);
            }

            if (isError)
            {
                log.Error(line);
            }
            else
            {
                log.Info(line);
            }

            onLine?.Invoke(line, isError);
        }
    }

    /// <summary>An interrupt first when the spec allows one, so the program's own clean-up runs; the tree is killed after.</summary>
    private static async Task StopAsync(System.Diagnostics.Process process, TimeSpan? grace, ResourceLog log)
    {
        if (grace is { } wait && !OperatingSystem.IsWindows() && !process.HasExited && Interrupt(process.Id, SigInt) == 0)
        {
            log.Info($"interrupted {process.StartInfo.FileName} (pid {process.Id}); it has {wait.TotalSeconds:0} s to clean up");
            // The process itself, not its output: a child it leaves behind may hold the pipes open long after it exited.
            var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            process.Exited += (_, _) => exited.TrySetResult();
            if (process.HasExited || await Task.WhenAny(exited.Task, Task.Delay(wait)).ConfigureAwait(false) == exited.Task)
            {
                return;
            }

            log.Error($"{process.StartInfo.FileName} did not exit within {wait.TotalSeconds:0} s of the interrupt; killing it");
        }

        KillTree(process);
    }

    // SIGINT is 2 on Linux and macOS alike.
    private const int SigInt = 2;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Interrupt(int pid, int signal);

    private static void KillTree(System.Diagnostics.Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
