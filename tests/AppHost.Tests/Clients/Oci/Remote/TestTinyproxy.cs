using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Clients.Oci.Remote;

/// <summary>
/// Debian's tinyproxy (scripts/setup/proxy.sh) on a free 127.0.0.1 port with its own config: Basic proxy credentials
/// required, CONNECT to any port, every request logged to a file the test reads. Killed (its own pid) on dispose.
/// </summary>
public sealed class TestTinyproxy : IDisposable
{
    private readonly System.Diagnostics.Process _process;

    private TestTinyproxy(string folder, int port, System.Diagnostics.Process process)
    {
        Folder = folder;
        Port = port;
        _process = process;
    }

    /// <summary>The proxy user.</summary>
    public const string User = "proxy-user";

    /// <summary>The proxy password (a test secret).</summary>
    public const string Password = "proxy-Pa55";

    /// <summary>The folder of its config and log.</summary>
    public string Folder { get; }

    /// <summary>Its port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>HTTPS_PROXY with the credentials.</summary>
    public string Url => $"http://{User}:{Password}@127.0.0.1:{Port}";

    /// <summary>The log so far.</summary>
    public string Log => File.Exists(Path.Combine(Folder, "tinyproxy.log")) ? File.ReadAllText(Path.Combine(Folder, "tinyproxy.log")) : "";

    /// <summary>Starts it and waits (10 s at most) until its port accepts.</summary>
    public static async Task<TestTinyproxy> StartAsync(CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("devenv-tinyproxy-").FullName;
        var port = FreePort.Next();
        var config = Path.Combine(folder, "tinyproxy.conf");
        await File.WriteAllTextAsync(config, $"""
            Port {port}
            Listen 127.0.0.1
            Timeout 60
            LogFile "{folder}/tinyproxy.log"
            LogLevel Connect
            MaxClients 20
            Allow 127.0.0.1
            BasicAuth {User} {Password}
            """, cancellationToken);
        var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("tinyproxy", ["-d", "-c", config]) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException("tinyproxy did not start (scripts/setup/proxy.sh installs it).");
        var proxy = new TestTinyproxy(folder, port, process);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                using var socket = new System.Net.Sockets.TcpClient();
                await socket.ConnectAsync("127.0.0.1", port, deadline.Token);
                return proxy;
            }
            catch (System.Net.Sockets.SocketException) when (!process.HasExited)
            {
                await Task.Delay(100, deadline.Token);
            }
            catch (Exception) when (process.HasExited)
            {
                proxy.Dispose();
                throw new InvalidOperationException($"tinyproxy exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
