using System.Globalization;
using DevEnv.Hosting.Cli;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Traffic;

/// <summary>The verify-rollout verb end to end: flags, real load against real servers on 127.0.0.1, exit codes.</summary>
public sealed class VerifyRolloutVerbTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The real AppHost's verb, as a user runs it; DEVENV_NODE_PORT stands for the deployment's NodePort.
    private static Task<ProcessResult> Run(int nodePort, params string[] args) =>
        new ProcessRunner().RunAsync(
            AppHostProcess.Spec(args, new Dictionary<string, string?> { ["DEVENV_NAME"] = "t-verify", ["DEVENV_NODE_PORT"] = nodePort.ToString(CultureInfo.InvariantCulture) }),
            ResourceLog.None, Ct);

    [Fact]
    public async Task No_restart_measures_the_url_only_and_exits_0_when_nothing_failed()
    {
        await using var server = new MisbehavingServer(Misbehaviour.Answer);

        var result = await Run(1, "verify-rollout", "--no-restart", "--url", server.Address.ToString(), "--duration", "1", "--rate", "30");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("No request failed: 0 of 30 requests failed.", result.Output);
        Assert.Contains("generator: warm-up 10 requests", result.Output);
        Assert.Equal(30 + 10, server.Received);
    }

    [Fact]
    public async Task No_restart_defaults_to_the_NodePort_and_exits_1_when_requests_failed()
    {
        await using var server = new MisbehavingServer(Misbehaviour.CloseAfterRequest);

        var result = await Run(server.Address.Port, "verify-rollout", "--no-restart", "--duration", "0.5", "--rate", "20");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Measuring http://127.0.0.1:{server.Address.Port}/ at 20 req/s for 0.5 s", result.Error);
        Assert.Contains("Requests failed: 10 of 10.", result.Error);
        Assert.Contains("measured failures: dropped 10", result.Error);
        Assert.Equal(10 + 10, server.Received);
    }

    [Theory]
    [InlineData("verify-rollout", "--rate", "fast")]
    [InlineData("verify-rollout", "--duration")]
    [InlineData("verify-rollout", "--url", "ftp://127.0.0.1/")]
    [InlineData("verify-rollout", "--bogus")]
    public async Task Wrong_flags_print_the_usage_and_exit_2(params string[] args)
    {
        var result = await Run(1, args);

        Assert.Equal(VerbRunner.UsageError, result.ExitCode);
        Assert.Contains("--no-restart", result.Error);
    }

    [Fact]
    public void Command_arguments_override_the_options()
    {
        var options = RolloutVerificationCommand.WithArguments(RolloutVerificationCommand.DefaultOptions(31000),
            new Dictionary<string, string> { ["url"] = "http://127.0.0.1:8080/", ["rate"] = "250", ["duration"] = "3" });

        Assert.Equal(new Uri("http://127.0.0.1:8080/"), options.Load.Target);
        Assert.Equal(250, options.Load.RatePerSecond);
        Assert.Equal(TimeSpan.FromSeconds(3), options.SteadyState);
        Assert.Equal(new Uri("http://127.0.0.1:31000"), RolloutVerificationCommand.DefaultOptions(31000).Load.Target);
        Assert.Throws<ArgumentException>(() => RolloutVerificationCommand.WithArguments(options, new Dictionary<string, string> { ["rate"] = "-1" }));
    }
}
