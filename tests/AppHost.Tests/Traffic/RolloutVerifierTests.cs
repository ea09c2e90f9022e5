using DevEnv.Hosting.Traffic;

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
        Assert.Empty(result.Problems);
        Assert.InRange(result.SteadyState.Requests, 80, 120);
        Assert.InRange(result.Rollout.Requests, 80, 130);
        Assert.Equal(result.Overall.Requests, result.SteadyState.Requests + result.Rollout.Requests + result.Settle.Requests);
        Assert.True(result.RolloutEnded - result.RolloutStarted >= TimeSpan.FromSeconds(0.9));
        Assert.Contains("during rollout", result.ToTable());
        Assert.Contains("generator: warm-up", result.ToTable());
        using var json = System.Text.Json.JsonDocument.Parse(result.ToJson());
        Assert.True(json.RootElement.GetProperty("passed").GetBoolean());
        Assert.Equal(result.Rollout.Requests, json.RootElement.GetProperty("rollout").GetProperty("requests").GetInt64());
        Assert.True(json.RootElement.GetProperty("overall").GetProperty("timeline").GetArrayLength() >= 2);
        Assert.Equal(0, json.RootElement.GetProperty("overall").GetProperty("hiddenByRetryingClient").GetInt64());
    }

    [Fact]
    public async Task The_load_follows_a_rollout_that_outlives_its_timeout_to_its_real_end()
    {
        await using var server = await LocalKestrel.StartAsync(Ct);
        var options = new RolloutVerifierOptions
        {
            Load = new LoadOptions { Target = server.Address, RatePerSecond = 50, Paths = ["/"] },
            SteadyState = TimeSpan.FromSeconds(0.5), Settle = TimeSpan.FromSeconds(0.5), RolloutTimeout = TimeSpan.FromSeconds(0.3),
        };
        // Like a kubectl that does not stop at once when told: the action returns 2.5 s after its token was cancelled.
        var result = await new RolloutVerifier().VerifyAsync(options, async ct =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2.8), CancellationToken.None);
        }, Ct);

        Assert.True(result.RolloutEnded - result.RolloutStarted >= TimeSpan.FromSeconds(2.7));
        Assert.True(result.LoadEnded - result.RolloutEnded >= options.Settle - TimeSpan.FromMilliseconds(20), result.ToTable());
        Assert.InRange(result.Settle.Requests, 20, 30);
        Assert.True(result.Passed, result.ToTable());
    }

    [Fact]
    public async Task A_phase_without_requests_does_not_pass()
    {
        await using var server = await LocalKestrel.StartAsync(Ct);
        // 1 request/s: one at 0 s (steady state), none in a 10 ms rollout or the 0.2 s after it.
        var result = await new RolloutVerifier().VerifyAsync(new RolloutVerifierOptions
        {
            Load = new LoadOptions { Target = server.Address, RatePerSecond = 1, Paths = ["/"] },
            SteadyState = TimeSpan.FromSeconds(0.2), Settle = TimeSpan.FromSeconds(0.2),
        }, ct => Task.Delay(10, ct), Ct);

        Assert.Equal(0, result.Overall.Failed);
        Assert.Equal(1, result.SteadyState.Requests);
        Assert.False(result.Passed, result.ToTable());
        Assert.Contains(result.Problems, p => p.StartsWith("no request was scheduled during the rollout", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.StartsWith("no request was scheduled after the rollout", StringComparison.Ordinal));
        Assert.Contains("not passed: no request was scheduled during the rollout", result.ToTable());
        Assert.Matches(@"during rollout\s+0\s+0 \(0\.00%\)\s+–\s+–\s+–\s+–\s+–", result.ToTable());
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
        Assert.Contains("the rollout failed: rollout status timed out", result.Problems);
    }

    [Fact]
    public async Task Requests_dropped_during_the_rollout_fail_it_and_say_a_retrying_client_would_hide_them()
    {
        await using var server = new MisbehavingServer(Misbehaviour.CloseEveryOther);
        var result = await new RolloutVerifier().VerifyAsync(new RolloutVerifierOptions
        {
            Load = new LoadOptions { Target = server.Address, RatePerSecond = 40, Paths = ["/"] },
            SteadyState = TimeSpan.FromSeconds(0.5), Settle = TimeSpan.FromSeconds(0.5),
        }, ct => Task.Delay(500, ct), Ct);

        Assert.False(result.Passed);
        Assert.Equal(server.Received, result.Overall.Requests + result.Overall.WarmUp!.Requests);
        Assert.True(result.Overall.HiddenByRetryingClient > 0);
        Assert.Contains(result.Problems, p => p.Contains("dropped", StringComparison.Ordinal));
        Assert.Contains($"hidden by a retrying client: {result.Overall.HiddenByRetryingClient}", result.ToTable());
    }
}
