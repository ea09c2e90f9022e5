namespace DevEnv.AppHost.Tests.Support;

/// <summary>Runs a clean-up step when disposed (<c>await using</c>), for what a test makes outside its label (an image tag).</summary>
public sealed class AsyncCleanup(Func<Task> cleanup) : IAsyncDisposable
{
    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await cleanup();
}
