using Aspire.Hosting.ApplicationModel;
using DevEnv.AppHost.Tests.Support;
using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Resources.Registry;
using Microsoft.Extensions.Logging;

namespace DevEnv.AppHost.Tests.Resources.Registry;

/// <summary>
/// The console line for a registry container that does not come up, against Aspire's real notification service and
/// the real Docker Engine: a failed state is said at once; a start that takes too long says whether the engine has the
/// image (an image it is still pulling, or cannot pull, is the common cause on a machine without a network).
/// </summary>
public sealed class RegistryStartMonitorTests : IDisposable
{
    private readonly TestResources _env = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task A_registry_that_is_not_running_in_time_says_the_engine_lacks_its_image_and_what_to_do()
    {
        var lines = await RunAsync("devenv-fixture/absent-registry:0.0", [KnownResourceStates.Starting]);
        var line = Assert.Single(lines);
        Assert.Contains("the Docker Engine does not have devenv-fixture/absent-registry:0.0", line, StringComparison.Ordinal);
        Assert.Contains("DEVENV_REGISTRY_IMAGE", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_start_is_said_at_once_and_an_image_the_engine_has_is_not_blamed()
    {
        var lines = await RunAsync("devenv-fixture/registry:2.8.2", [KnownResourceStates.Starting, KnownResourceStates.FailedToStart]);
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("registry: FailedToStart", lines[0], StringComparison.Ordinal);
        Assert.Contains("although the Docker Engine has devenv-fixture/registry:2.8.2", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_that_runs_in_time_says_nothing()
    {
        Assert.Empty(await RunAsync("devenv-fixture/absent-registry:0.0", [KnownResourceStates.Starting, KnownResourceStates.Running]));
    }

    // Publishes the states of a registry resource, waits the monitor's patience and a margin, and returns the console lines.
    private async Task<IReadOnlyList<string>> RunAsync(string image, string[] states)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var docker = DockerEngine.Connect();
        var notifications = _env.Notifications.Service;
        var console = new ConsoleLines();
        using var monitor = new RegistryStartMonitor(notifications, console, image,
            async ct => await docker.Images.TryInspectImageAsync(image, ct) is not null) { Patience = TimeSpan.FromSeconds(2) };
        await monitor.StartAsync(cancellation);
        var registry = new ContainerResource("registry");
        registry.Annotations.Add(new RegistryMaintenanceAnnotation(new RegistryResource("registry", _env.Settings, docker)));
        foreach (var state in states)
        {
            await notifications.PublishUpdateAsync(registry, s => s with { State = state });
        }

        await Task.Delay(TimeSpan.FromSeconds(5), cancellation);
        await monitor.StopAsync(cancellation);
        return console.Lines;
    }

    private sealed class ConsoleLines : ILoggerFactory, ILogger
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}
