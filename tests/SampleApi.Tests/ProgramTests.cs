using DevEnv.SampleApi.Tests.Infrastructure;

namespace DevEnv.SampleApi.Tests;

/// <summary>The app as its image runs it: a non-root user, writing nowhere but its temp directory.</summary>
[Collection(PublishedAppCollection.Name)]
public sealed class ProgramTests(PublishedApp app)
{
    [Fact]
    public async Task RunsAsNonRoot_WritingOnlyToItsTempDirectory()
    {
        var ct = TestContext.Current.CancellationToken;
        if (Environment.UserName != "root" || !File.Exists("/usr/bin/setpriv"))
        {
            Assert.Skip("needs root and setpriv to switch to the unprivileged user 'nobody' (65534)");
        }

        // TMPDIR is the only place it may write; its working directory (the app folder) is not writable.
        var tmp = Directory.CreateTempSubdirectory("sampleapi-nonroot-").FullName;
        File.SetUnixFileMode(tmp, (UnixFileMode)0b111_111_111);
        try
        {
            var env = new Dictionary<string, string> { ["TMPDIR"] = tmp, ["Probe__StateDirectory"] = "" };
            await using var instance = AppInstance.Start(app, TimeSpan.FromMilliseconds(200), extraEnvironment: env, runAsUser: "65534");
            await instance.WaitUntilReadyAsync(ct);
            using var client = new HttpClient { BaseAddress = instance.BaseAddress };
            Assert.Equal("Hello, World!", await client.GetStringAsync("/", ct));
            Assert.Equal("65534", (await File.ReadAllTextAsync($"/proc/{instance.ProcessId}/status", ct))
                .Split('\n').First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);

            var stateFile = Path.Combine(tmp, "SampleApi.probe.json");
            Assert.True(File.Exists(stateFile), "the probe state file lives in TMPDIR");
            var probe = await AppInstance.RunAsync("setpriv", env,
                ["--reuid=65534", "--regid=65534", "--clear-groups", "--", app.ExecutablePath, "probe", "live"], ct);
            Assert.True(probe.ExitCode == 0, $"probe live as the same user: {probe}");

            instance.Terminate();
            Assert.Equal(0, await instance.WaitForExitAsync(TimeSpan.FromSeconds(15), ct));
            Assert.DoesNotContain(instance.StandardOutput.Concat(instance.StandardError), l => l.Contains("Exception", StringComparison.Ordinal));
            Assert.False(File.Exists(stateFile), "the state file is removed on exit");
        }
        finally
        {
            Directory.Delete(tmp, recursive: true);
        }
    }
}
