using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;

namespace DevEnv.AppHost.Tests.Support;

/// <summary>The real AppHost as a user runs it (<c>dotnet DevEnv.AppHost.dll [verb]</c>), its console captured line by line.</summary>
public sealed partial class AppHostProcess : IDisposable
{
    private readonly Process _process;

    private AppHostProcess(Process process) => _process = process;

    /// <summary>Every line printed so far (standard error prefixed "stderr: ").</summary>
    public ConcurrentQueue<string> Output { get; } = new();

    /// <summary>The process.</summary>
    public Process Process => _process;

    /// <summary>The command that runs the built AppHost with <paramref name="verb"/>.</summary>
    public static ProcessSpec Spec(IReadOnlyList<string> verb, IReadOnlyDictionary<string, string?> environment) =>
        new("dotnet", [Path.Combine(AppContext.BaseDirectory, "DevEnv.AppHost.dll"), .. verb]) { Environment = environment };

    /// <summary>Starts the AppHost with <paramref name="verb"/> and the given environment.</summary>
    public static AppHostProcess Start(IReadOnlyList<string> verb, IReadOnlyDictionary<string, string?> environment)
    {
        var spec = Spec(verb, environment);
        var info = new ProcessStartInfo(spec.FileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var host = new AppHostProcess(new Process { StartInfo = info });
        host._process.OutputDataReceived += (_, e) => { if (e.Data is { } line) { host.Output.Enqueue(line); } };
        host._process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { host.Output.Enqueue("stderr: " + line); } };
        host._process.Start();
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits for a line containing <paramref name="text"/> that was not in <paramref name="except"/>; fails with the console's tail.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout, CancellationToken cancellationToken, ISet<string>? except = null)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var line = Output.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal) && except?.Contains(l) != true);
            if (line is not null)
            {
                return line;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline && !_process.HasExited, $"no line '{text}' within {timeout}:\n{Tail()}");
            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>The dashboard's login URL the AppHost printed.</summary>
    public async Task<string> LoginUrlAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        LoginUrl().Match(await WaitForLineAsync("Login to the dashboard at ", timeout, cancellationToken)).Value;

    /// <summary>
    /// Ctrl+C as a terminal sends it: SIGINT, or SIGTERM when the process inherited SIGINT as ignored (a process started in the
    /// background of a non-interactive shell does, and .NET keeps it). Returns the signal sent.
    /// </summary>
    public async Task<string> SendCtrlCAsync(CancellationToken cancellationToken)
    {
        var ignored = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        var mask = ulong.Parse(ignored["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var signal = (mask & (1UL << (2 - 1))) == 0 ? "INT" : "TERM";
        await new ProcessRunner().RunCheckedAsync(new ProcessSpec("kill", ["-s", signal, _process.Id.ToString(CultureInfo.InvariantCulture)]),
            ResourceLog.None, cancellationToken);
        return "SIG" + signal;
    }

    /// <summary>The last 40 lines, for failure messages.</summary>
    public string Tail() => string.Join('\n', Output.TakeLast(40));

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"http://\S+/login\?t=[0-9a-f]+")]
    private static partial Regex LoginUrl();
}
