using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace DevEnv.ServiceDefaults.Probes;

/// <summary>
/// The app's configuration for the <c>probe</c> and <c>prestop</c> subcommands, from the same sources and in the same
/// order of precedence as <c>WebApplication.CreateSlimBuilder</c> / <c>CreateBuilder</c>: DOTNET_ and ASPNETCORE_
/// variables, appsettings.json and appsettings.{environment}.json in the content root (the working directory unless
/// <c>contentRoot</c> says otherwise), all environment variables, the command line; and the same application name
/// (the entry assembly's unless <c>applicationName</c> is set), which names the state file. Built directly rather
/// than through a WebApplicationBuilder because an exec probe runs every few seconds and the builder would cost
/// ten times the process's start-up for the same result.
/// </summary>
internal static class CommandConfiguration
{
    public static (IConfiguration Configuration, string ApplicationName) Build(string[] args)
    {
        var host = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build();
        var environment = host["environment"] is { Length: > 0 } e ? e : "Production";
        var contentRoot = host["contentRoot"] is { Length: > 0 } root ? Path.GetFullPath(root) : Directory.GetCurrentDirectory();
        var application = host["applicationName"] is { Length: > 0 } name ? name : Assembly.GetEntryAssembly()?.GetName().Name ?? "app";
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(host)
            .SetBasePath(contentRoot)
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
            .AddJsonFile($"appsettings.{environment}.json", optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        return (configuration, application);
    }
}
