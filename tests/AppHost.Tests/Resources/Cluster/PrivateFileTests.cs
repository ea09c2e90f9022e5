using DevEnv.Hosting.Resources.Cluster;

namespace DevEnv.AppHost.Tests.Resources.Cluster;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PrivateFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("devenv-private-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_new_file_is_owner_only()
    {
        var path = Path.Combine(_directory, "state", "kubeconfig");

        await PrivateFile.WriteAsync(path, "client-key-data: secret\n", Ct);

        Assert.Equal(PrivateFile.Mode, File.GetUnixFileMode(path));
        Assert.Equal("client-key-data: secret\n", await File.ReadAllTextAsync(path, Ct));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!)); // no temporary left beside it
    }

    [Fact]
    public async Task The_secret_never_lands_in_an_existing_world_readable_file()
    {
        // A kubeconfig left 0644 by an older version, and a hard link to it standing for anyone who could read it:
        // writing in place and chmodding after would put the key in that readable file, if only for a moment.
        var path = Path.Combine(_directory, "kubeconfig");
        await File.WriteAllTextAsync(path, "old\n", Ct);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var peek = Path.Combine(_directory, "peek");
        Assert.Equal(0, Link(path, peek));

        await PrivateFile.WriteAsync(path, "client-key-data: secret\n", Ct);

        Assert.Equal(PrivateFile.Mode, File.GetUnixFileMode(path));
        Assert.Equal("client-key-data: secret\n", await File.ReadAllTextAsync(path, Ct));
        Assert.Equal("old\n", await File.ReadAllTextAsync(peek, Ct));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existing, string link);
}
