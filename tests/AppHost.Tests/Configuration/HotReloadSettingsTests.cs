using DevEnv.Hosting.Configuration;

namespace DevEnv.AppHost.Tests.Configuration;

/// <summary>DEVENV_HOT_RELOAD and DEVENV_HOT_RELOAD_FOLD_SECONDS: on by default, a minute's fold, one clear line for a bad value.</summary>
public sealed class HotReloadSettingsTests
{
    [Fact]
    public void Hot_Reload_is_on_with_a_one_minute_fold_by_default_and_each_can_be_changed()
    {
        var defaults = EnvironmentSettings.FromEnvironment(_ => null);
        Assert.True(defaults.HotReload);
        Assert.Equal(TimeSpan.FromSeconds(60), defaults.HotReloadFoldAfter);

        var set = EnvironmentSettings.FromEnvironment(k => k switch { "DEVENV_HOT_RELOAD" => "false", "DEVENV_HOT_RELOAD_FOLD_SECONDS" => "0", _ => null });
        Assert.False(set.HotReload);
        Assert.Equal(TimeSpan.Zero, set.HotReloadFoldAfter);
    }

    [Fact]
    public void A_value_that_is_not_a_switch_says_which_values_are()
    {
        var ex = Assert.Throws<ArgumentException>(() => EnvironmentSettings.FromEnvironment(k => k == "DEVENV_HOT_RELOAD" ? "sometimes" : null));
        Assert.Equal("DEVENV_HOT_RELOAD='sometimes' is not valid (use true or false).", ex.Message);
    }
}
