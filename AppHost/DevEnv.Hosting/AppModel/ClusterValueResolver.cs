using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace DevEnv.Hosting.AppModel;

/// <summary>
/// Evaluates a value of the app model (what an environment callback or an argument callback produced) for a pod in the
/// cluster, as Aspire's Kubernetes publisher does for its manifests but with the values themselves: an endpoint is the
/// referenced resource's Service (<c>http://sampleapi:8080</c>, never localhost), a parameter its configured value, a
/// connection string its expression evaluated the same way. A value a secret parameter went into is marked secret.
/// </summary>
/// <param name="addresses">The Service of each resource that runs in the cluster.</param>
/// <param name="caller">The resource whose environment is evaluated (named in errors).</param>
public sealed class ClusterValueResolver(IReadOnlyDictionary<IResource, ServiceAddress> addresses, IResource caller)
{
    /// <summary>Evaluates <paramref name="value"/>.</summary>
    /// <exception cref="MissingParameterException">A parameter has no value.</exception>
    /// <exception cref="DroppedValueException">The value refers to an endpoint the cluster leaves out.</exception>
    /// <exception cref="UnsupportedValueException">The value has no meaning in the cluster.</exception>
    public async ValueTask<ResolvedValue> ResolveAsync(object? value, CancellationToken cancellationToken)
    {
        switch (value)
        {
            case null:
                return new ResolvedValue("");
            case string text:
                return new ResolvedValue(text);
            case IResourceBuilder<IResource> builder:
                return await ResolveAsync(builder.Resource, cancellationToken).ConfigureAwait(false);
            case ParameterResource parameter:
                return new ResolvedValue(await ParameterValueAsync(parameter, cancellationToken).ConfigureAwait(false), parameter.Secret);
            case EndpointReference endpoint:
                return new ResolvedValue(Endpoint(endpoint.Resource, endpoint.EndpointName, EndpointProperty.Url));
            case EndpointReferenceExpression expression:
                return new ResolvedValue(Endpoint(expression.Endpoint.Resource, expression.Endpoint.EndpointName, expression.Property));
            case ConnectionStringReference connectionString:
                return await ResolveAsync(connectionString.Resource.ConnectionStringExpression, cancellationToken).ConfigureAwait(false);
            case IResourceWithConnectionString resource:
                return await ResolveAsync(resource.ConnectionStringExpression, cancellationToken).ConfigureAwait(false);
            case ReferenceExpression expression:
                return await ExpressionAsync(expression, cancellationToken).ConfigureAwait(false);
            case IFormattable formattable:
                return new ResolvedValue(formattable.ToString(null, CultureInfo.InvariantCulture));
            case bool flag:
                return new ResolvedValue(flag ? "true" : "false");
            case IValueProvider or IManifestExpressionProvider:
                throw new UnsupportedValueException($"{caller.Name}: a value of type {value.GetType().Name} has no meaning in the cluster (it stands for something on this machine).");
            default:
                return new ResolvedValue(value.ToString() ?? "");
        }
    }

    private async ValueTask<ResolvedValue> ExpressionAsync(ReferenceExpression expression, CancellationToken cancellationToken)
    {
        if (expression.IsConditional)
        {
            var condition = await ResolveAsync(expression.Condition, cancellationToken).ConfigureAwait(false);
            var branch = string.Equals(condition.Text, expression.MatchValue, StringComparison.OrdinalIgnoreCase) ? expression.WhenTrue : expression.WhenFalse;
            var chosen = await ResolveAsync(branch, cancellationToken).ConfigureAwait(false);
            return chosen with { IsSecret = chosen.IsSecret || condition.IsSecret };
        }

        var arguments = new object[expression.ValueProviders.Count];
        var secret = false;
        for (var i = 0; i < arguments.Length; i++)
        {
            var part = await ResolveAsync(expression.ValueProviders[i], cancellationToken).ConfigureAwait(false);
            secret |= part.IsSecret;
            // Aspire's only format specifier: "uri" escapes the value for a URI (a password in a connection URL).
            arguments[i] = i < expression.StringFormats.Count && expression.StringFormats[i] == "uri" ? Uri.EscapeDataString(part.Text) : part.Text;
        }

        return new ResolvedValue(string.Format(CultureInfo.InvariantCulture, expression.Format, arguments), secret);
    }

    private async ValueTask<string> ParameterValueAsync(ParameterResource parameter, CancellationToken cancellationToken)
    {
        try
        {
            return await parameter.GetValueAsync(cancellationToken).ConfigureAwait(false) ?? "";
        }
        catch (MissingParameterValueException)
        {
            throw new MissingParameterException(parameter.Name, caller.Name);
        }
    }

    private string Endpoint(IResource resource, string endpointName, EndpointProperty property)
    {
        if (!addresses.TryGetValue(resource, out var address))
        {
            throw new UnsupportedValueException($"{caller.Name} references {resource.Name}'s endpoint '{endpointName}', but {resource.Name} does not run in the cluster: " +
                $"pods cannot reach this machine's processes. Deploy {resource.Name} too (remove its RunLocally()) or drop the reference.");
        }

        if (address.Dropped.Contains(endpointName))
        {
            throw new DroppedValueException($"{resource.Name}'s '{endpointName}' endpoint is left out in the cluster (no TLS inside the cluster; its http endpoint serves)");
        }

        var port = address.Port(endpointName)
            ?? throw new UnsupportedValueException($"{caller.Name} references {resource.Name}'s endpoint '{endpointName}', which {resource.Name} does not have.");
        var number = port.Port.ToString(CultureInfo.InvariantCulture);
        return property switch
        {
            EndpointProperty.Url => $"{port.Scheme}://{address.Host}:{number}",
            EndpointProperty.Host or EndpointProperty.IPV4Host => address.Host,
            EndpointProperty.Port or EndpointProperty.TargetPort => number,
            EndpointProperty.HostAndPort => $"{address.Host}:{number}",
            EndpointProperty.Scheme => port.Scheme,
            // Inside the cluster a Service speaks what its endpoint declares; an https endpoint is the TLS one.
            EndpointProperty.TlsEnabled => port.Scheme == "https" ? bool.TrueString : bool.FalseString,
            _ => throw new UnsupportedValueException($"{caller.Name}: endpoint property {property} of {resource.Name} is not supported in the cluster."),
        };
    }
}
