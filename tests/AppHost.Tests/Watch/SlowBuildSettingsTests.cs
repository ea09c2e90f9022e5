using DevEnv.Hosting.Resources.Image.Pipeline;
using DevEnv.Hosting.Watch;

namespace DevEnv.AppHost.Tests.Watch;

public sealed class SlowBuildSettingsTests
{
    private static readonly string[] Read = [SlowBuildSettings.SharedCompilation, SlowBuildSettings.NodeReuse, MSBuildServerSetting.CliVariable, MSBuildServerSetting.MSBuildVariable];

    // Answers the variables the check may read, from `set` (unset when absent); reading any other fails the test.
    private static Func<string, string?> Environment(Dictionary<string, string> set) => name =>
        Read.Contains(name) ? set.GetValueOrDefault(name) : throw new InvalidOperationException($"the check read {name}");

    [Fact]
    public void The_SDK_defaults_say_nothing() =>
        Assert.Empty(SlowBuildSettings.Warnings(Environment([])));

    [Fact]
    public void Values_that_keep_the_servers_on_say_nothing() =>
        Assert.Empty(SlowBuildSettings.Warnings(Environment(new()
        {
            [SlowBuildSettings.SharedCompilation] = "true", [SlowBuildSettings.NodeReuse] = "0", [MSBuildServerSetting.CliVariable] = "1",
        })));

    [Theory]
    [InlineData("false")]
    [InlineData(" False ")]
    public void The_compiler_server_switched_off_is_one_warning_saying_what_it_costs_and_what_to_do(string value)
    {
        var warning = Assert.Single(SlowBuildSettings.Warnings(Environment(new() { [SlowBuildSettings.SharedCompilation] = value })));

        Assert.StartsWith("UseSharedCompilation=false is set in the environment: every rebuild starts the C# compiler cold (about 3 s more", warning, StringComparison.Ordinal);
        Assert.EndsWith("Unset it for the quickest inner loop.", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Node_reuse_switched_off_is_one_warning_even_with_the_build_server_also_off()
    {
        var warnings = SlowBuildSettings.Warnings(Environment(new() { [SlowBuildSettings.NodeReuse] = "1", [MSBuildServerSetting.CliVariable] = "0" }));

        Assert.Equal(["MSBUILDDISABLENODEREUSE=1 is set in the environment: every rebuild starts MSBuild anew, without the MSBuild server (about 1 s more on 2 cores). Unset it for the quickest inner loop."], warnings);
    }

    [Fact]
    public void The_build_server_switched_off_alone_is_its_warning()
    {
        var warning = Assert.Single(SlowBuildSettings.Warnings(Environment(new() { [MSBuildServerSetting.CliVariable] = "false" })));

        Assert.StartsWith("DOTNET_CLI_USE_MSBUILD_SERVER=false is set in the environment: every rebuild starts MSBuild anew", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void MSBuilds_own_server_switch_off_is_the_same_warning_naming_it_and_the_CLIs_variable_wins_when_both_are_set()
    {
        var warning = Assert.Single(SlowBuildSettings.Warnings(Environment(new() { [MSBuildServerSetting.MSBuildVariable] = "0" })));
        Assert.StartsWith("MSBUILDUSESERVER=0 is set in the environment: every rebuild starts MSBuild anew", warning, StringComparison.Ordinal);

        Assert.Empty(SlowBuildSettings.Warnings(Environment(new() { [MSBuildServerSetting.CliVariable] = "1", [MSBuildServerSetting.MSBuildVariable] = "0" })));
    }

    [Fact]
    public void All_three_switched_off_are_two_warnings() =>
        Assert.Equal(2, SlowBuildSettings.Warnings(Environment(new()
        {
            [SlowBuildSettings.SharedCompilation] = "false", [SlowBuildSettings.NodeReuse] = "1", [MSBuildServerSetting.CliVariable] = "0",
        })).Count);
}
