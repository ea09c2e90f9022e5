using DevEnv.Hosting.Clients.Docker;
using Microsoft.Extensions.Configuration;

namespace DevEnv.Hosting.Cli;

/// <summary>What must hold before DCP starts anything, checked first so the user reads one line that says what to do.</summary>
internal static class Preflight
{
    /// <summary>
    /// Docker answers; the registry port is free or held by our registry; for <c>up</c> (given the AppHost's
    /// <paramref name="configuration"/>), the dashboard's ports and the resource service's are free.
    /// </summary>
    public static async Task<string?> CheckAsync(EnvironmentModel model, IConfiguration? configuration, CancellationToken cancellationToken)
    {
        var settings = model.Settings;
        try
        {
            await model.DevEnv.Docker.System.PingAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DockerUnavailableException ex)
        {
            return ex.Message;
        }

        if (model.Registries.Count > 0 && !PortProbe.IsFree(settings.BindAddress, settings.RegistryPort))
        {
            var ours = await model.DevEnv.Docker.Containers.TryInspectContainerAsync(settings.RegistryContainerName, cancellationToken).ConfigureAwait(false);
            if (ours is not { State.Running: true })
            {
                return PortProbe.TakenMessage("registry", settings.BindAddress, settings.RegistryPort, "DEVENV_REGISTRY_PORT");
            }
        }

        if (configuration is null)
        {
            return null;
        }

        if (!PortProbe.IsFree(settings.BindAddress, settings.DashboardPort))
        {
            return PortProbe.TakenMessage("Aspire dashboard", settings.BindAddress, settings.DashboardPort, "DEVENV_DASHBOARD_PORT");
        }

        foreach (var (what, host, port, setting) in DashboardListenPorts.From(configuration))
        {
            if (!PortProbe.IsFree(host, port))
            {
                return PortProbe.TakenMessage(what, host, port, $"{setting} (under `dotnet run`: in AppHost/Properties/launchSettings.json)");
            }
        }

        return null;
    }
}
