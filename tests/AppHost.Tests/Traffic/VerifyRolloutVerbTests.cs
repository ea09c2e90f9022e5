using System.Collections.Concurrent;
using DevEnv.AppHost.Cli;
using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Model;
using DevEnv.AppHost.Orchestration;
using DevEnv.AppHost.Tests.Model;
using DevEnv.AppHost.Traffic;

namespace DevEnv.AppHost.Tests.Traffic;

/// <summary>The verify-rollout verb end to end: flags, real load against real servers on 127.0.0.1, exit codes.</summary>
public sealed class VerifyRolloutVerbTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly ConcurrentQueue<string> _journal = new();
    private readonly ConcurrentQueue<string> _restarts = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    /// <summary>An environment whose "sampleapi" offers restart-rollout (1 s) and the product's verify-rollout on <paramref name="nodePort"/>.</summary>
    private DevEnvironment Build(int nodePort, bool wireVerifier = true)
    {
        var builder = new DevEnvironmentBuilder(new EnvironmentSettings { Name = "t-verify", SourceRoot = Path.GetTempPath(), NodePort = nodePort });
        var deployment = builder.AddResource(new FakeResource("sampleapi", _journal, "Deployment"));
        deployment.Commands.Add(new(CommandNames.RestartRollout, "Restart rollout", async (_, ct) =>
        {
            _restarts.Enqueue("restart");
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            return CommandResult.Ok("Rolled out.");
        }));
        if (wireVerifier)
        {
            builder.AddRolloutVerification(deployment, RolloutVerificationExtensions.DefaultOptions(nodePort) with { Settle = TimeSpan.FromSeconds(0.5) });
        }
        return builder.Build();
    }

    private Task<int> Run(DevEnvironment env, params string[] args) => env.RunAsync(args, new CliConsole(_out, _err, Interactive: false), Ct);

    [Fact]
    public async Task No_restart_measures_the_url_only_and_exits_0_when_nothing_failed()
    {
        await using var server = new MisbehavingServer(Misbehaviour.Answer);
        await using var env = Build(nodePort: 1, wireVerifier: false);

        Assert.Equal(0, await Run(env, "verify-rollout", "--no-restart", "--url", server.Address.ToString(), "--duration", "1", "--rate", "30"));

        Assert.Contains("No request failed: 0 of 30 requests failed.", _out.ToString());
        Assert.Contains("generator: warm-up 10 requests", _out.ToString());
        Assert.Equal(30 + 10, server.Received);
        Assert.Empty(_restarts);
        Assert.Empty(_journal);
    }

    [Fact]
    public async Task No_restart_defaults_to_the_NodePort_and_exits_1_when_requests_failed()
    {
        await using var server = new MisbehavingServer(Misbehaviour.CloseAfterRequest);
        await using var env = Build(nodePort: server.Address.Port);

        Assert.Equal(1, await Run(env, "verify-rollout", "--no-restart", "--duration", "0.5", "--rate", "20"));

        Assert.Contains($"Measuring http://127.0.0.1:{server.Address.Port}/ at 20 req/s for 0.5 s", _err.ToString());
        Assert.Contains("Requests failed: 10 of 10.", _err.ToString());
        Assert.Contains("measured failures: dropped 10", _err.ToString());
        Assert.Equal(10 + 10, server.Received);
        Assert.Empty(_restarts);
    }

    [Fact]
    public async Task With_the_restart_the_flags_reach_the_verifier_and_the_exit_code_follows_the_requests()
    {
        await using var healthy = new MisbehavingServer(Misbehaviour.Answer);
        await using (var env = Build(nodePort: 1))
        {
            Assert.Equal(0, await Run(env, "verify-rollout", "--url", healthy.Address.ToString(), "--rate", "40", "--duration", "0.5"));
        }
        Assert.Contains("Rollout verified: 0 of", _out.ToString());
        Assert.Single(_restarts);
        Assert.InRange(healthy.Received, 10 + 40 * 2 - 5, 10 + 40 * 2 + 10);

        await using var failing = new MisbehavingServer(Misbehaviour.ServiceUnavailable);
        await using (var env = Build(nodePort: 1))
        {
            Assert.Equal(1, await Run(env, "verify-rollout", "--url", failing.Address.ToString(), "--rate", "20", "--duration", "0.5"));
        }
        Assert.Contains("Rollout not verified: ", _err.ToString());
        Assert.Contains("servererror", _err.ToString());
    }

    [Theory]
    [InlineData("verify-rollout", "--rate", "fast")]
    [InlineData("verify-rollout", "--duration")]
    [InlineData("verify-rollout", "--url", "ftp://127.0.0.1/")]
    [InlineData("verify-rollout", "--bogus")]
    public async Task Wrong_flags_print_the_usage_and_exit_2(params string[] args)
    {
        await using var env = Build(nodePort: 1, wireVerifier: false);

        Assert.Equal(CliApp.UsageError, await Run(env, args));

        Assert.Contains("--no-restart", _err.ToString());
        Assert.Empty(_journal);
    }

    [Fact]
    public void Command_arguments_override_the_options()
    {
        var options = RolloutVerificationExtensions.WithArguments(RolloutVerificationExtensions.DefaultOptions(31000),
            new Dictionary<string, string> { ["url"] = "http://127.0.0.1:8080/", ["rate"] = "250", ["duration"] = "3" });

        Assert.Equal(new Uri("http://127.0.0.1:8080/"), options.Load.Target);
        Assert.Equal(250, options.Load.RatePerSecond);
        Assert.Equal(TimeSpan.FromSeconds(3), options.SteadyState);
        Assert.Equal(new Uri("http://127.0.0.1:31000"), RolloutVerificationExtensions.DefaultOptions(31000).Load.Target);
        Assert.Throws<ArgumentException>(() => RolloutVerificationExtensions.WithArguments(options, new Dictionary<string, string> { ["rate"] = "-1" }));
    }
}
