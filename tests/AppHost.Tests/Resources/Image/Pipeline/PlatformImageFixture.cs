using DevEnv.AppHost.Tests.Resources.Registry;

namespace DevEnv.AppHost.Tests.Resources.Image.Pipeline;

/// <summary>
/// One copy of SampleApi and one real registry container for the platform tests: they share the linux-arm64 publish
/// folder (obj/devenv/trimmed-linux-arm64), so the second build publishes incrementally instead of from cold.
/// </summary>
public sealed class PlatformImageFixture : IAsyncLifetime
{
    /// <summary>Copies the sources and prepares the registry's settings.</summary>
    public PlatformImageFixture() => Harness = new RegistryTestHarness(s => s with { SourceRoot = Workspace.Root });

    /// <summary>The copy of the sources.</summary>
    public SampleApiWorkspace Workspace { get; } = new();

    /// <summary>The registry container and the test's settings, notifications and logs.</summary>
    public RegistryTestHarness Harness { get; }

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => await Harness.StartRegistryAsync(TestContext.Current.CancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Harness.DisposeAsync();
        Workspace.Dispose();
    }
}
