using DevEnv.Hosting.Clients.Kind;

namespace DevEnv.AppHost.Tests.Clients.Kind;

public sealed class KindVersionTests
{
    [Theory]
    [InlineData("kind v0.32.0 go1.26.2 linux/amd64", "0.32.0")]
    [InlineData("kind v0.33.1 go1.26.3 darwin/arm64", "0.33.1")]
    [InlineData("kind v0.34.0-alpha+abc go1.27 linux/amd64", "0.34.0")]
    public void Reads_the_release_from_kind_version(string output, string expected) =>
        Assert.Equal(Version.Parse(expected), KindVersion.Parse(output));

    [Theory]
    [InlineData("kind v0.31.0 go1.25.5 linux/amd64", true)]
    [InlineData("kind v0.29.0 go1.24 linux/amd64", true)]
    [InlineData("kind v0.32.0 go1.26.2 linux/amd64", false)]
    [InlineData("kind v1.0.0 go1.30 linux/amd64", false)]
    [InlineData("kind (devel) go1.26", false)]
    public void Only_kind_before_0_32_is_too_old(string output, bool tooOld) =>
        Assert.Equal(tooOld, KindVersion.TooOld(output) is not null);

    [Fact]
    public async Task The_installed_kind_is_new_enough()
    {
        string output;
        try
        {
            output = await new KindClient(new DevEnv.Hosting.Clients.Process.ProcessRunner()).GetVersionAsync(DevEnv.Hosting.Model.ResourceLog.None, TestContext.Current.CancellationToken);
        }
        catch (DevEnv.Hosting.Clients.Process.ToolNotFoundException ex)
        {
            Assert.Skip("kind not installed: " + ex.Message);
            return;
        }

        Assert.NotNull(KindVersion.Parse(output));
        Assert.Null(KindVersion.TooOld(output));
    }
}
