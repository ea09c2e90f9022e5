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
    /// <exception cref="ConfigurationUnreadableException">The content root or an appsettings file cannot be read.</exception>
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
        CheckReadable(contentRoot);
        try
        {
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
        catch (InvalidDataException ex)
        {
            // The JSON provider's own message names the file; its inner exception says where the syntax breaks.
            throw new ConfigurationUnreadableException($"cannot parse the configuration in {contentRoot}: {ex.Message} {ex.InnerException?.Message}".TrimEnd(), ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Includes DirectoryNotFoundException from SetBasePath should the folder vanish after the check.
            throw new ConfigurationUnreadableException($"cannot read the configuration in {contentRoot}: {ex.Message}", ex);
        }
    }

    // SetBasePath only says DirectoryNotFoundException, both for a folder that is not there and for one this user may
    // not enter; listing it tells the two apart (ENOENT or EACCES) for the price of one system call.
    private static void CheckReadable(string contentRoot)
    {
        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(contentRoot).GetEnumerator();
            entries.MoveNext();
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new ConfigurationUnreadableException(
                $"the configuration folder (content root) {contentRoot} does not exist. Run the probe as the app's user in the app's working directory, or set ASPNETCORE_CONTENTROOT to the app's folder.", ex);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new ConfigurationUnreadableException(
                $"cannot read the configuration folder (content root) {contentRoot}: {ex.Message} Run the probe as the app's user (the container's user).", ex);
        }
    }
}
