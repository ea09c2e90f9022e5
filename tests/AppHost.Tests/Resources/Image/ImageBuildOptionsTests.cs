using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Resources.Image;

namespace DevEnv.AppHost.Tests.Resources.Image;

/// <summary>
/// Each option set gets its own publish and intermediate folders (its key), so switching between them (the trimmed image
/// on demand in a fast session, a Debug build) never reuses another set's trimmer or ReadyToRun output.
/// </summary>
public sealed class ImageBuildOptionsTests
{
    [Fact]
    public void Every_option_that_changes_the_output_changes_the_key()
    {
        ImageBuildOptions[] sets =
        [
            ImageBuildOptions.Default,
            ImageBuildOptions.Fast,
            ImageBuildOptions.Default with { Configuration = "Debug" },
            ImageBuildOptions.Default with { TrimMode = "partial" },
            ImageBuildOptions.Default with { RuntimeIdentifier = "linux-arm64" },
            ImageBuildOptions.Default with { ReadyToRun = true },
            ImageBuildOptions.Default with { SelfContained = false },
            ImageBuildOptions.Default with { ExtraProperties = new Dictionary<string, string> { ["A"] = "1 -p:B=2" } },
            ImageBuildOptions.Default with { ExtraProperties = new Dictionary<string, string> { ["A"] = "1", ["B"] = "2" } },
        ];

        Assert.Equal(sets.Length, sets.Select(o => o.Key).Distinct(StringComparer.Ordinal).Count());
        // The shipping and fast folders keep the names earlier builds wrote (their warm caches stay warm).
        Assert.Equal("trimmed-linux-x64", ImageBuildOptions.Default.Key);
        Assert.Equal("untrimmed-linux-x64", ImageBuildOptions.Fast.Key);
    }

    [Fact]
    public void The_mode_name_is_what_the_dashboard_shows()
    {
        Assert.Equal("Trimmed", ImageBuildOptions.Default.ModeName);
        Assert.Equal("Fast", ImageBuildOptions.Fast.ModeName);
        Assert.Equal(ImageBuildOptions.For(ImageMode.Fast).ModeName, ImageMode.Fast.ToString());
    }
}
