using DevEnv.SampleApi.Tests.Infrastructure;
using DevEnv.ServiceDefaults.Probes;

namespace DevEnv.SampleApi.Tests.Probes;

/// <summary>The app's own <c>probe</c> subcommand, as a Kubernetes exec probe runs it.</summary>
[Collection(PublishedAppCollection.Name)]
public sealed class ServiceCommandTests(PublishedApp app)
{
    [Fact]
    public async Task Probes_PassWhileRunning_ReadyFailsWhileDraining_LiveDoesNot()
    {
        var ct = TestContext.Current.CancellationToken;
        // Long enough for a few probe processes on a loaded machine (each one is a .NET start).
        await using var instance = AppInstance.Start(app, TimeSpan.FromSeconds(5));
        await instance.WaitUntilReadyAsync(ct);

        foreach (var probe in new[] { "startup", "live", "ready" })
        {
            var result = await instance.RunCommandAsync(["probe", probe], ct);
            Assert.True(result.ExitCode == 0, $"probe {probe}: {result}");
            Assert.Contains($"{probe}: healthy", result.StandardOutput);
        }

        instance.Terminate();
        var ready = await WaitForAsync(() => instance.RunCommandAsync(["probe", "ready"], ct), r => r.ExitCode == 1, ct);
        Assert.Contains("ready: unhealthy (phase Draining", ready.StandardError);
        var live = await instance.RunCommandAsync(["probe", "live"], ct);
        Assert.True(live.ExitCode == 0, $"probe live while draining: {live}");
        Assert.Equal(0, await instance.WaitForExitAsync(TimeSpan.FromSeconds(15), ct));

        var afterExit = await instance.RunCommandAsync(["probe", "live"], ct);
        Assert.Equal(1, afterExit.ExitCode);
        Assert.Contains("no state file", afterExit.StandardError);
    }

    [Theory]
    [InlineData(new[] { "probe", "bogus" }, "unknown probe 'bogus'")]
    [InlineData(new[] { "probe" }, "expected exactly one probe name")]
    [InlineData(new[] { "probe", "live", "extra" }, "expected exactly one probe name")]
    public async Task UnknownOrMissingProbe_IsAUsageError(string[] args, string message)
    {
        var ct = TestContext.Current.CancellationToken;
        var result = await AppInstance.RunAsync(app.ExecutablePath, new Dictionary<string, string>(), args, ct);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StandardError);
        Assert.Contains("Usage: SampleApi probe live|ready|startup", result.StandardError);
    }

    [Fact]
    public async Task ProbeWithoutRunningApp_FailsSayingWhere()
    {
        var ct = TestContext.Current.CancellationToken;
        var empty = Directory.CreateTempSubdirectory("sampleapi-empty-").FullName;
        try
        {
            var env = new Dictionary<string, string> { ["Probe__StateDirectory"] = empty };
            var result = await AppInstance.RunAsync(app.ExecutablePath, env, ["probe", "live"], ct);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"no state file at {Path.Combine(empty, "SampleApi.probe.json")}", result.StandardError);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Theory]
    [InlineData("probe", "live")]
    [InlineData("prestop", null)]
    public async Task A_missing_configuration_folder_is_one_line_and_exit_3(string command, string? probe)
    {
        var ct = TestContext.Current.CancellationToken;
        var missing = Path.Combine(Path.GetTempPath(), "sampleapi-no-such-root-" + Guid.NewGuid().ToString("N"));
        var env = new Dictionary<string, string> { ["ASPNETCORE_CONTENTROOT"] = missing };
        var result = await AppInstance.RunAsync(app.ExecutablePath, env, probe is null ? [command] : [command, probe], ct);

        Assert.True(result.ExitCode == 3, result.ToString());
        var line = Assert.Single(Lines(result.StandardError));
        Assert.Equal($"{probe ?? command}: the configuration folder (content root) {missing} does not exist. Run the probe as the app's user in the app's working directory, or set ASPNETCORE_CONTENTROOT to the app's folder.", line);
    }

    [Fact]
    public async Task An_unreadable_configuration_folder_is_one_line_and_exit_3_not_a_crash()
    {
        // The reported case: the working directory (the content root) exists but the probe's user cannot enter it, so
        // SetBasePath threw DirectoryNotFoundException and the runtime aborted (exit 134). As root, permissions do not
        // apply: the probe then runs as another user (setpriv), as the kubelet runs it as the container's user.
        var ct = TestContext.Current.CancellationToken;
        var locked = Directory.CreateTempSubdirectory("sampleapi-locked-").FullName;
        var root = Directory.CreateDirectory(Path.Combine(locked, "app")).FullName;
        File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var asRoot = Environment.UserName == "root";
        if (!asRoot)
        {
            File.SetUnixFileMode(locked, UnixFileMode.None);
        }

        try
        {
            var env = new Dictionary<string, string> { ["ASPNETCORE_CONTENTROOT"] = root };
            var result = asRoot
                ? await AppInstance.RunAsync("setpriv", env, ["--reuid=65534", "--regid=65534", "--clear-groups", "--", app.ExecutablePath, "probe", "live"], ct)
                : await AppInstance.RunAsync(app.ExecutablePath, env, ["probe", "live"], ct);

            Assert.True(result.ExitCode == 3, result.ToString());
            var line = Assert.Single(Lines(result.StandardError));
            Assert.StartsWith($"live: cannot read the configuration folder (content root) {root}: ", line);
            Assert.DoesNotContain("Exception", line);
            Assert.Empty(result.StandardOutput);
        }
        finally
        {
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.Delete(locked, recursive: true);
        }
    }

    [Fact]
    public async Task A_malformed_appsettings_file_is_one_line_and_exit_3()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = Directory.CreateTempSubdirectory("sampleapi-badjson-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "appsettings.json"), "{ \"Probe\": ");
            var env = new Dictionary<string, string> { ["ASPNETCORE_CONTENTROOT"] = root };
            var result = await AppInstance.RunAsync(app.ExecutablePath, env, ["probe", "ready"], ct);

            Assert.True(result.ExitCode == 3, result.ToString());
            var line = Assert.Single(Lines(result.StandardError));
            Assert.StartsWith($"ready: cannot parse the configuration in {root}: ", line);
            Assert.Contains("appsettings.json", line);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task<CommandResult> WaitForAsync(Func<Task<CommandResult>> run, Func<CommandResult, bool> done, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var result = await run();
            if (done(result) || attempt == 20)
            {
                return result;
            }

            await Task.Delay(50, ct);
        }
    }
}
