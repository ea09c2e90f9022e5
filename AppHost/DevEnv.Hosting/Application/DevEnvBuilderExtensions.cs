using Aspire.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace DevEnv.Hosting.Application;

/// <summary>Reaches the environment's shared settings and clients from the Aspire builder.</summary>
public static class DevEnvBuilderExtensions
{
    /// <summary>The <see cref="DevEnvServices"/> that <see cref="DevEnvApplication.CreateBuilder"/> registered.</summary>
    public static DevEnvServices DevEnv(this IDistributedApplicationBuilder builder) =>
        builder.Services.FirstOrDefault(d => d.ServiceType == typeof(DevEnvServices))?.ImplementationInstance as DevEnvServices
        ?? throw new InvalidOperationException("Create the builder with DevEnvApplication.CreateBuilder(args) so the DevEnv resources find their settings.");
}
