namespace DevEnv.AppHost.Clients.Docker;

/// <summary>
/// The Docker Engine API subset DevEnv uses, one operations object per area (as Docker.DotNet does).
/// Resources depend on this interface so tests can replace an area with a fake.
/// </summary>
public interface IDockerClient
{
    /// <summary>Where the client connects, and how that was decided.</summary>
    DockerEndpoint Endpoint { get; }

    /// <summary>Ping and version.</summary>
    ISystemOperations System { get; }

    /// <summary>Images.</summary>
    IImageOperations Images { get; }

    /// <summary>Containers.</summary>
    IContainerOperations Containers { get; }

    /// <summary>Networks.</summary>
    INetworkOperations Networks { get; }

    /// <summary>Volumes.</summary>
    IVolumeOperations Volumes { get; }
}
