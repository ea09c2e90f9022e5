using DevEnv.AppHost.Clients.Process;
using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Orchestration;
using DevEnv.AppHost.Resources.Image;
using DevEnv.AppHost.Resources.Registry;

namespace DevEnv.AppHost.Tests.Resources.Image;

/// <summary>DEVENV_IMAGE_MODE reaches the image resource's publish options.</summary>
public sealed class ProjectImageResourceExtensionsTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("trimmed", false)]
    [InlineData("fast", true)]
    [InlineData(" FAST ", true)]
    public void Image_mode_from_the_environment_picks_the_publish_options(string? mode, bool fast)
    {
        var settings = EnvironmentSettings.FromEnvironment(k => k == "DEVENV_IMAGE_MODE" ? mode : null) with { Name = "t" + Guid.NewGuid().ToString("N")[..8] };
        var builder = new DevEnvironmentBuilder(settings, new ProcessRunner());

        var image = builder.AddProjectImage(builder.AddRegistry());

        Assert.Equal(fast ? ImageMode.Fast : ImageMode.Trimmed, settings.ImageMode);
        Assert.Same(fast ? ImageBuildOptions.Fast : ImageBuildOptions.Default, image.Options);
        Assert.Contains(fast ? "-p:PublishTrimmed=false" : "-p:PublishTrimmed=true", image.Options.ToArguments());
    }

    [Fact]
    public void An_explicit_option_set_wins_and_an_unknown_mode_is_refused_with_the_choices()
    {
        var builder = new DevEnvironmentBuilder(new EnvironmentSettings { Name = "t" + Guid.NewGuid().ToString("N")[..8], ImageMode = ImageMode.Fast });
        Assert.Same(ImageBuildOptions.Default, builder.AddProjectImage(builder.AddRegistry(), options: ImageBuildOptions.Default).Options);

        var ex = Assert.Throws<ArgumentException>(() => EnvironmentSettings.FromEnvironment(k => k == "DEVENV_IMAGE_MODE" ? "tiny" : null));
        Assert.Contains("fast or trimmed", ex.Message, StringComparison.Ordinal);
    }
}
