using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Resources.Deployment;

namespace DevEnv.Hosting.AppModel;

/// <summary>
/// Runs a resource's environment and argument callbacks (<c>WithEnvironment</c>, <c>WithReference</c>, <c>WithArgs</c>,
/// and those of integrations such as AddRedis) as Aspire does for a deployment target, in publish mode, and evaluates
/// what they produce for the cluster with <see cref="ClusterValueResolver"/>. Variables that describe how the process
/// runs on this machine (its URLs and ports, the dashboard's OTLP endpoint) are left out: the cluster sets its own.
/// </summary>
public static class WorkloadEnvironmentReader
{
    /// <summary>Prefix of the variables through which a secret argument reaches the container (<c>$(VAR)</c> in args).</summary>
    public const string SecretArgumentPrefix = "DEVENV_SECRET_ARG_";

    // What Aspire gives a local process about its own listening addresses and telemetry: replaced in the cluster.
    private static readonly string[] OwnedByCluster =
        ["ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORT", "ASPNETCORE_HTTPS_PORTS", "HTTP_PORTS", "HTTPS_PORTS", "DOTNET_LAUNCH_PROFILE"];

    /// <summary>Evaluates <paramref name="resource"/>'s environment and arguments.</summary>
    public static async Task<WorkloadEnvironment> ReadAsync(IResource resource, IReadOnlyDictionary<IResource, ServiceAddress> addresses, IServiceProvider? services, CancellationToken cancellationToken)
    {
        var execution = new DistributedApplicationExecutionContext(new DistributedApplicationExecutionContextOptions(DistributedApplicationOperation.Publish) { Services = services });
        var resolver = new ClusterValueResolver(addresses, resource);
        var notes = new List<string>();
        var variables = new List<WorkloadVariable>();
        if (resource.TryGetAnnotationsOfType<EnvironmentCallbackAnnotation>(out var environmentCallbacks))
        {
            var context = new EnvironmentCallbackContext(execution, resource, cancellationToken: cancellationToken);
            foreach (var callback in environmentCallbacks)
            {
                await callback.Callback(context).ConfigureAwait(false);
            }

            foreach (var (name, value) in context.EnvironmentVariables)
            {
                if (OwnedByCluster.Contains(name, StringComparer.OrdinalIgnoreCase) || name.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                try
                {
                    var resolved = await resolver.ResolveAsync(value, cancellationToken).ConfigureAwait(false);
                    variables.Add(new WorkloadVariable(name, resolved.IsSecret ? resolved.Text : EscapeExpansion(resolved.Text), resolved.IsSecret));
                }
                catch (DroppedValueException ex)
                {
                    notes.Add($"{name} left out: {ex.Message}");
                }
            }
        }

        var args = new List<string>();
        if (resource.TryGetAnnotationsOfType<CommandLineArgsCallbackAnnotation>(out var argumentCallbacks))
        {
            var context = new CommandLineArgsCallbackContext([], resource, cancellationToken) { ExecutionContext = execution };
            foreach (var callback in argumentCallbacks)
            {
                await callback.Callback(context).ConfigureAwait(false);
            }

            foreach (var value in context.Args)
            {
                var resolved = await resolver.ResolveAsync(value, cancellationToken).ConfigureAwait(false);
                if (resolved.IsSecret)
                {
                    // Kubernetes expands $(VAR) in args from the container's environment, so the value stays in the Secret.
                    var name = SecretArgumentPrefix + args.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    variables.Add(new WorkloadVariable(name, resolved.Text, IsSecret: true));
                    args.Add($"$({name})");
                }
                else
                {
                    args.Add(EscapeExpansion(resolved.Text));
                }
            }
        }

        return new WorkloadEnvironment(variables, args, notes);
    }

    // Kubernetes expands $(NAME) in plain env values and args; a literal one is written $$(NAME).
    private static string EscapeExpansion(string text) => text.Replace("$(", "$$(", StringComparison.Ordinal);
}
