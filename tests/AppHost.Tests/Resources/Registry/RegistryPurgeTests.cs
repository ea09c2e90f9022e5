using DevEnv.Hosting.Clients.Docker;
using Docker.DotNet.Models;

namespace DevEnv.AppHost.Tests.Resources.Registry;

/// <summary>
/// <c>down --purge</c> on the registry's blob volume, against the real Docker Engine: it removes the volume DevEnv made
/// (labelled), and keeps one of the same name that does not carry our label, saying how to remove it.
/// </summary>
public sealed class RegistryPurgeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Purge_removes_our_labelled_volume()
    {
        await using var h = new RegistryTestHarness();
        await h.Registry.StartAsync(h.Context, Ct); // creates the labelled volume, as before DCP starts the container

        await h.Registry.PurgeAsync(h.Context, Ct);

        Assert.Null(await h.Env.Engine.Volumes.TryInspectVolumeAsync(h.Settings.RegistryVolumeName, Ct));
        Assert.Contains(h.Logs.GetBacklog(h.Registry.Name), l => l.Text.StartsWith("Purged volume " + h.Settings.RegistryVolumeName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Purge_keeps_an_unlabelled_volume_of_the_same_name_and_says_how_to_remove_it()
    {
        await using var h = new RegistryTestHarness();
        var name = h.Settings.RegistryVolumeName;
        await h.Env.Engine.Volumes.CreateAsync(new VolumesCreateParameters { Name = name }, Ct);
        try
        {
            await h.Registry.PurgeAsync(h.Context, Ct);

            Assert.NotNull(await h.Env.Engine.Volumes.TryInspectVolumeAsync(name, Ct));
            var line = Assert.Single(h.Logs.GetBacklog(h.Registry.Name), l => l.IsError);
            Assert.Contains($"Kept volume {name}", line.Text, StringComparison.Ordinal);
            Assert.Contains($"docker volume rm {name}", line.Text, StringComparison.Ordinal);
        }
        finally
        {
            await h.Env.Engine.Volumes.RemoveAsync(name, force: true, CancellationToken.None);
        }
    }
}
