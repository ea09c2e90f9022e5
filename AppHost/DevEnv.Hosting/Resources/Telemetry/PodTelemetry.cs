namespace DevEnv.Hosting.Resources.Telemetry;

/// <summary>
/// Where the pods send their traces, metrics and logs: the relay in front of the Aspire dashboard's OTLP endpoint, or
/// the in-cluster receiver's Service. The header the other side asks for (the dashboard's API key, the receiver's
/// ingest token) travels in a Secret (<see cref="SecretName"/>), never in the Deployment.
/// </summary>
/// <param name="Endpoint">OTEL_EXPORTER_OTLP_ENDPOINT as the pods reach it, e.g. http://172.18.0.1:18891.</param>
/// <param name="Protocol">OTEL_EXPORTER_OTLP_PROTOCOL: http/protobuf or grpc, whichever the dashboard endpoint behind the relay speaks.</param>
public sealed record PodTelemetry(string Endpoint, string Protocol)
{
    /// <summary>The Secret holding OTEL_EXPORTER_OTLP_HEADERS (x-otlp-api-key=...).</summary>
    public const string HeadersSecretName = "devenv-otlp";

    /// <summary>The Secret's key with the headers.</summary>
    public const string HeadersSecretKey = "headers";

    /// <summary>The Secret the pods read OTEL_EXPORTER_OTLP_HEADERS from (the relay's by default).</summary>
    public string SecretName { get; init; } = HeadersSecretName;

    /// <summary>Its key.</summary>
    public string SecretKey { get; init; } = HeadersSecretKey;
}
