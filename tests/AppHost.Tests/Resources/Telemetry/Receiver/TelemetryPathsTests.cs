using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Resources.Telemetry;

namespace DevEnv.AppHost.Tests.Resources.Telemetry.Receiver;

public sealed class TelemetryPathsTests
{
    private static ContainerEngine Engine(ContainerEngineKind kind) => new(kind, "Linux", "28.0.0", "unix:///var/run/docker.sock");

    [Theory]
    [InlineData(ContainerEngineKind.NativeDockerd, false)]
    [InlineData(ContainerEngineKind.DockerDesktop, true)]
    [InlineData(ContainerEngineKind.RancherDesktop, true)]
    [InlineData(ContainerEngineKind.Colima, true)]
    [InlineData(ContainerEngineKind.Podman, true)]
    public void By_default_a_vm_engine_uses_the_receiver_and_a_native_one_the_gateway_relay(ContainerEngineKind kind, bool receiver)
    {
        Assert.Equal(receiver, TelemetryPaths.UsesReceiver(TelemetryPaths.Parse(null), Engine(kind)));
    }

    [Fact]
    public void The_setting_forces_either_path_and_a_wrong_value_is_one_line()
    {
        Assert.True(TelemetryPaths.UsesReceiver(TelemetryPaths.Parse("receiver"), Engine(ContainerEngineKind.NativeDockerd)));
        Assert.False(TelemetryPaths.UsesReceiver(TelemetryPaths.Parse("relay"), Engine(ContainerEngineKind.DockerDesktop)));
        Assert.False(TelemetryPaths.UsesReceiver(TelemetryPath.Auto, null));
        var error = Assert.Throws<ArgumentException>(() => TelemetryPaths.Parse("grpc"));
        Assert.Equal("DEVENV_TELEMETRY_PATH='grpc' is not valid (use auto, receiver or relay).", error.Message);
    }
}
