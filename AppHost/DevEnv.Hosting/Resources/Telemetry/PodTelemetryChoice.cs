namespace DevEnv.Hosting.Resources.Telemetry;

/// <summary>
/// The gateway relay where it runs (a native Linux engine: one TCP hop, already tested), else the in-cluster receiver:
/// each of the two decides at start whether it is the path (<see cref="TelemetryPath"/>), and exactly one settles with settings.
/// </summary>
/// <param name="relay">The gateway relay of a kind cluster.</param>
/// <param name="receiver">The in-cluster receiver of the same cluster.</param>
public sealed class PodTelemetryChoice(IPodTelemetrySource relay, IPodTelemetrySource receiver) : IPodTelemetrySource
{
    /// <inheritdoc />
    public PodTelemetry? Current => relay.Current ?? receiver.Current;

    /// <inheritdoc />
    public Task<PodTelemetry?> Settled => SettleAsync();

    private async Task<PodTelemetry?> SettleAsync() =>
        await relay.Settled.ConfigureAwait(false) ?? await receiver.Settled.ConfigureAwait(false);
}
