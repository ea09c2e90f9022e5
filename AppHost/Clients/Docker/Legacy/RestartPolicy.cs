namespace DevEnv.AppHost.Clients.Docker;

/// <summary>"no", "always", "unless-stopped" or "on-failure".</summary>
public sealed record RestartPolicy(string Name);
