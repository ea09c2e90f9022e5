using DevEnv.Hosting.Watch;

namespace DevEnv.AppHost.Tests.Watch;

public sealed class DebouncerTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);
    private readonly ManualTimeProvider _time = new();
    private readonly List<IReadOnlyList<string>> _bursts = [];

    [Fact]
    public void A_burst_of_changes_fires_once_after_the_quiet_period()
    {
        using var debouncer = new Debouncer(Quiet, _time, _bursts.Add);

        debouncer.Signal("Program.cs");
        _time.Advance(TimeSpan.FromMilliseconds(200));
        debouncer.Signal("Api.cs");
        _time.Advance(TimeSpan.FromMilliseconds(200));
        debouncer.Signal("Program.cs");
        _time.Advance(TimeSpan.FromMilliseconds(299));
        Assert.Empty(_bursts);

        _time.Advance(TimeSpan.FromMilliseconds(1));

        var burst = Assert.Single(_bursts);
        Assert.Equal(["Api.cs", "Program.cs"], burst);
    }

    [Fact]
    public void Separate_bursts_fire_separately_and_silence_fires_nothing()
    {
        using var debouncer = new Debouncer(Quiet, _time, _bursts.Add);

        debouncer.Signal("a.cs");
        _time.Advance(Quiet);
        _time.Advance(TimeSpan.FromSeconds(10));
        debouncer.Signal("b.cs");
        _time.Advance(Quiet);

        Assert.Equal([["a.cs"], ["b.cs"]], _bursts);
    }

    [Theory]
    [InlineData("SampleApi/Program.cs", true)]
    [InlineData("SampleApi/Endpoints/Api.cs", true)]
    [InlineData("SampleApi/bin/Release/net10.0/SampleApi.dll", false)]
    [InlineData("SampleApi/obj/project.assets.json", false)]
    [InlineData("SampleApi/.vs/x", false)]
    [InlineData("SampleApi/Program.cs~", false)]
    [InlineData("SampleApi/.#Program.cs", false)]
    [InlineData("SampleApi/Program.cs.swp", false)]
    public void Build_output_and_editor_files_are_not_sources(string relative, bool isSource)
    {
        var root = Path.Combine(Path.GetTempPath(), "src", "SampleApi");
        var path = Path.Combine(Path.GetTempPath(), "src", relative);
        Assert.Equal(isSource, SourceWatcher.IsSource(root, path));
    }
}
