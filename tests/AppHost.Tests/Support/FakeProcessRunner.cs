using System.Collections.Concurrent;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;

namespace DevEnv.AppHost.Tests.Support;

/// <summary>
/// Records every command line and answers from scripted rules (first match wins, matched on the command line
/// as a shell would show it). A command no rule matches throws <see cref="UnscriptedCommandException"/>: a fake that
/// answered exit 0 to anything would let a test pass on a command the product should never have run. Optionally
/// passes some programs through to the real runner (e.g. docker, so the real engine answers while kind is scripted).
/// </summary>
public sealed class FakeProcessRunner(IProcessRunner? passThrough = null, params string[] passThroughPrograms) : IProcessRunner
{
    private readonly List<(Func<ProcessSpec, bool> Match, Func<ProcessSpec, ProcessResult> Respond)> _rules = [];
    private readonly ConcurrentQueue<ProcessSpec> _calls = new();

    /// <summary>Every command run, in order.</summary>
    public IReadOnlyList<ProcessSpec> Calls => _calls.ToArray();

    /// <summary>The command lines run, in order.</summary>
    public IReadOnlyList<string> CommandLines => Calls.Select(c => c.ToString()).ToArray();

    /// <summary>Answers commands whose command line contains <paramref name="fragment"/>.</summary>
    public FakeProcessRunner On(string fragment, int exitCode = 0, string stdout = "", string stderr = "") =>
        On(spec => spec.ToString().Contains(fragment, StringComparison.Ordinal), _ => (exitCode, stdout, stderr));

    /// <summary>Programs that do not exist: running them throws <see cref="ToolNotFoundException"/>.</summary>
    public HashSet<string> Missing { get; } = [];

    /// <summary>Answers commands matching <paramref name="match"/> with the given exit code and output.</summary>
    public FakeProcessRunner On(Func<ProcessSpec, bool> match, Func<ProcessSpec, (int ExitCode, string Stdout, string Stderr)> respond)
    {
        _rules.Add((match, spec =>
        {
            var (exitCode, stdout, stderr) = respond(spec);
            return new ProcessResult(spec, exitCode, Split(stdout), Split(stderr), TimeSpan.Zero);
        }));
        return this;
    }

    /// <inheritdoc />
    public async Task<ProcessResult> RunAsync(ProcessSpec spec, ResourceLog log, CancellationToken cancellationToken, Action<string, bool>? onLine = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _calls.Enqueue(spec);
        if (Missing.Contains(spec.FileName))
        {
            throw new ToolNotFoundException(spec.FileName);
        }

        if (passThrough is not null && passThroughPrograms.Contains(spec.FileName))
        {
            return await passThrough.RunAsync(spec, log, cancellationToken, onLine);
        }

        log.Info("$ " + spec);
        var rule = _rules.FirstOrDefault(r => r.Match(spec));
        if (rule.Respond is null)
        {
            throw new UnscriptedCommandException(spec);
        }

        var result = rule.Respond(spec);
        foreach (var line in result.StandardOutput)
        {
            onLine?.Invoke(line, false);
        }

        foreach (var line in result.StandardError)
        {
            onLine?.Invoke(line, true);
        }

        return result;
    }

    private static string[] Split(string text) => text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');
}
