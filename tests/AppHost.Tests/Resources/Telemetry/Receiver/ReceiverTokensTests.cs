using DevEnv.Hosting.Resources.Telemetry.Receiver;

namespace DevEnv.AppHost.Tests.Resources.Telemetry.Receiver;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ReceiverTokensTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("devenv-tokens-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_tokens_are_made_once_two_different_ones_kept_mode_600_and_the_same_on_the_next_start()
    {
        var first = await ReceiverTokens.LoadOrCreateAsync(_state, Ct);
        var path = Path.Combine(_state, ReceiverTokens.FileName);

        Assert.Equal(DevEnv.Hosting.Resources.Cluster.PrivateFile.Mode, File.GetUnixFileMode(path));
        Assert.NotEqual(first.Ingest, first.Read);
        Assert.Equal(64, first.Ingest.Length);
        Assert.Equal(first, await ReceiverTokens.LoadOrCreateAsync(_state, Ct));
    }

    [Fact]
    public async Task A_damaged_file_is_replaced_by_new_tokens_still_mode_600()
    {
        var path = Path.Combine(_state, ReceiverTokens.FileName);
        await File.WriteAllTextAsync(path, "ingest=short\n", Ct);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var tokens = await ReceiverTokens.LoadOrCreateAsync(_state, Ct);

        Assert.Equal(64, tokens.Read.Length);
        Assert.Equal(DevEnv.Hosting.Resources.Cluster.PrivateFile.Mode, File.GetUnixFileMode(path));
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);
}
