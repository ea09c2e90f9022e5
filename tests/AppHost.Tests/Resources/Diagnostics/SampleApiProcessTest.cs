using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.Diagnostics;

/// <summary>A test class with a real SampleApi process (the harness's pod app) on a free port and a state folder of its own, both removed after each test.</summary>
public abstract class SampleApiProcessTest : IAsyncLifetime
{
    /// <summary>The environment's state folder for this test.</summary>
    protected string State { get; } = Path.Combine(Path.GetTempPath(), "devenv-diag-test-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>SampleApi's port on 127.0.0.1.</summary>
    protected int Port { get; } = FreePort.Next();

    /// <summary>The running app.</summary>
    protected ChildProcess App => _app ?? throw new InvalidOperationException("not started");

    private ChildProcess? _app;

    /// <summary>The test's cancellation.</summary>
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => _app = await DiagnosticsTools.StartSampleApiAsync(DiagnosticsTools.SampleApi, Port, Ct);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (Directory.Exists(State))
        {
            Directory.Delete(State, recursive: true);
        }

        GC.SuppressFinalize(this);
    }
}
