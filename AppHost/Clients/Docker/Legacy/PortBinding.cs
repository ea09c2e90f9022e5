namespace DevEnv.AppHost.Clients.Docker;

/// <summary>Where a container port is published on the host.</summary>
public sealed record PortBinding(string HostIp, string HostPort);
