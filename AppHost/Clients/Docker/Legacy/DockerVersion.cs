namespace DevEnv.AppHost.Clients.Docker;

/// <summary>What GET /version answers (the fields we show).</summary>
public sealed record DockerVersion(string Version, string ApiVersion, string MinAPIVersion, string Os, string Arch);
