using System.Collections.Concurrent;
using System.Diagnostics;

namespace DevEnv.AppHost.Tests.Traffic;

/// <summary>
/// A tiny Kestrel app in a real child process (a .NET 10 file-based app, built once into a fixed temporary
/// folder), so a test can SIGKILL a server that holds requests. <c>/hold</c> never answers; <c>/</c> answers "ok";
/// each request's X-Load-Request id is printed before it is handled.
/// </summary>
internal sealed class ChildKestrel : IAsyncDisposable
{
    private const string Program = """
        #:sdk Microsoft.NET.Sdk.Web
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            Console.WriteLine($"got {context.Request.Path} {context.Request.Headers["X-Load-Request"]}");
            await next(context);
        });
        app.MapGet("/", () => "ok");
        app.MapGet("/hold", async () => { await Task.Delay(Timeout.Infinite); return "never"; });
        app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"listening {app.Urls.Single()}"));
        app.Run("http://127.0.0.1:0");
        """;

    private static readonly SemaphoreSlim BuildLock = new(1, 1);
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildKestrel(Process process) => _process = process;

    /// <summary>Lines "got &lt;path&gt; &lt;id&gt;", one per request the child received.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    /// <summary>http://127.0.0.1:port/ once listening.</summary>
    public Uri Address => _listening.Task.Result;

    /// <summary>Builds (once per machine; ~10 s) and starts the child; returns when it listens.</summary>
    public static async Task<ChildKestrel> StartAsync(CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "devenv-traffic-child-kestrel");
        Directory.CreateDirectory(folder);
        var source = Path.Combine(folder, "app.cs");
        var output = Path.Combine(folder, "out");
        await BuildLock.WaitAsync(cancellationToken);
        try
        {
            if (!File.Exists(source) || await File.ReadAllTextAsync(source, cancellationToken) != Program || !File.Exists(Path.Combine(output, "app.dll")))
            {
                await File.WriteAllTextAsync(source, Program, cancellationToken);
                await RunAsync("dotnet", ["build", source, "-c", "Release", "-o", output, "-nologo", "-v", "q"], TimeSpan.FromMinutes(3), cancellationToken);
            }
        }
        finally
        {
            BuildLock.Release();
        }

        var start = new ProcessStartInfo("dotnet", [Path.Combine(output, "app.dll")]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var child = new ChildKestrel(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
        child._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (e.Data.StartsWith("listening ", StringComparison.Ordinal)) child._listening.TrySetResult(new Uri(e.Data["listening ".Length..] + "/"));
            else if (e.Data.StartsWith("got ", StringComparison.Ordinal)) child.Received.Enqueue(e.Data);
        };
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        try
        {
            await child._listening.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (TimeoutException)
        {
            await child.DisposeAsync();
            throw new InvalidOperationException("the child Kestrel did not listen within 30 s");
        }
        return child;
    }

    /// <summary>SIGKILL: the kernel closes its sockets, nothing of the app runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }

    private static async Task RunAsync(string file, string[] args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:F0} s");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stdout}{await stderr}");
        }
    }
}
