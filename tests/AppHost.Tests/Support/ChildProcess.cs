using System.Collections.Concurrent;
using System.Diagnostics;

namespace DevEnv.AppHost.Tests.Support;

/// <summary>A program the test starts with a given environment, its output captured, killed (whole tree) on dispose.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ChildProcess(Process process) => _process = process;

    /// <summary>The process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Kills it now (a pod that goes away).</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>The last 40 lines printed.</summary>
    public string Output => string.Join('\n', _output.TakeLast(40));

    /// <summary>
    /// Starts <paramref name="executable"/> with <paramref name="arguments"/> and <paramref name="environment"/> added to the
    /// test's own, in <paramref name="workingDirectory"/> (the executable's folder unless given).
    /// </summary>
    public static ChildProcess Start(string executable, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string>? arguments = null,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(executable)!,
        };
        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var child = new ChildProcess(new Process { StartInfo = start });
        child._process.OutputDataReceived += (_, e) => { if (e.Data is not null) child._output.Enqueue(e.Data); };
        child._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) child._output.Enqueue(e.Data); };
        child._process.Start();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// Polls GET <paramref name="url"/> until it answers 2xx; fails the test (with the output) when the process exits or
    /// <paramref name="timeout"/> passes first.
    /// </summary>
    public async Task WaitForHttpAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(url, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // not listening yet
            }

            Assert.False(_process.HasExited, $"{_process.StartInfo.FileName} exited before {url} answered:\n{Output}");
            Assert.True(clock.Elapsed < timeout, $"{url} did not answer within {timeout.TotalSeconds:0} s:\n{Output}");
            await Task.Delay(150, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(CancellationToken.None);
        _process.Dispose();
    }
}
