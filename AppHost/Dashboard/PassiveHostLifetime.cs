using Microsoft.Extensions.Hosting;

namespace DevEnv.AppHost.Dashboard;

/// <summary>
/// A host lifetime that leaves Ctrl+C and SIGTERM alone. The default console lifetime would take the signals for
/// the dashboard's web host and swallow them, so the AppHost itself (which owns them) would never hear Ctrl+C.
/// </summary>
internal sealed class PassiveHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
