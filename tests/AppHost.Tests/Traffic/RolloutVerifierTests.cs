using DevEnv.AppHost.Traffic;

namespace DevEnv.AppHost.Tests.Traffic;

public sealed class RolloutVerifierTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Runs_the_rollout_under_load_and_reports_each_phase()
    {
        await using var server = await LocalKestrel.StartAsync(Ct);
        var invoked = 0;
        var result = await new RolloutVerifier().VerifyAsync(new RolloutVerifierOptions
        {
            Load = new LoadOptions { Target = server.Address, RatePerSecond = 100, Paths = ["/"] },
            SteadyState = TimeSpan.FromSeconds(1),
            Settle = TimeSpan.FromSeconds(0.5),
        }, async ct =>
        {
            invoked++;
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }, Ct);

        Assert.Equal(1, invoked);
        Assert.True(result.Passed, result.ToTable());
        Assert.InRange(result.SteadyState.Requests, 80, 120);
        Assert.InRange(result.Rollout.Requests, 80, 130);
        Assert.Equal(result.Overall.Requests, result.SteadyState.Requests + result.Rollout.Requests + result.Settle.Requests);
        Assert.True(result.RolloutEnded - result.RolloutStarted >= TimeSpan.FromSeconds(0.9));
        Assert.Contains("during rollout", result.ToTable());
        using var json = System.Text.Json.JsonDocument.Parse(result.ToJson());
        Assert.True(json.RootElement.GetProperty("passed").GetBoolean());
        Assert.Equal(result.Rollout.Requests, json.RootElement.GetProperty("rollout").GetProperty("requests").GetInt64());
        Assert.True(json.RootElement.GetProperty("overall").GetProperty("timeline").GetArrayLength() >= 2);
    }

    [Fact]
    public async Task A_failing_rollout_is_reported_not_thrown()
    {
        await using var server = await LocalKestrel.StartAsync(Ct);
        var result = await new RolloutVerifier().VerifyAsync(new RolloutVerifierOptions
        {
            Load = new LoadOptions { Target = server.Address, RatePerSecond = 20, Paths = ["/"] },
            SteadyState = TimeSpan.FromSeconds(0.2),
            Settle = TimeSpan.FromSeconds(0.2),
        }, _ => throw new InvalidOperationException("rollout status timed out"), Ct);

        Assert.False(result.Passed);
        Assert.IsType<InvalidOperationException>(result.RolloutError);
        Assert.Equal(0, result.Overall.Failed);
    }
}
