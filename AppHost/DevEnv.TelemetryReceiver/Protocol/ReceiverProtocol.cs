namespace DevEnv.TelemetryReceiver.Protocol;

/// <summary>
/// The receiver's wire contract, compiled into the receiver and into DevEnv.Hosting (which reads it) from this one file:
/// ports, paths, header names, the settings the receiver reads.
/// </summary>
internal static class ReceiverProtocol
{
    /// <summary>OTLP/HTTP from the pods (the standard OTLP/HTTP port), behind the Service.</summary>
    public const int IngestPort = 4318;

    /// <summary>Where the AppHost reads the buffer (through the API server's port-forward) and the probes look.</summary>
    public const int ReadPort = 4319;

    /// <summary>The header that carries a token, on both ports (OTEL_EXPORTER_OTLP_HEADERS sets it on the pods).</summary>
    public const string TokenHeader = "x-devenv-token";

    /// <summary>GET: the buffered requests after <c>after</c> of receiver <c>instance</c>, waiting up to <c>wait</c> seconds for one.</summary>
    public const string ReadPath = "/v1/read";

    /// <summary>GET: the counters as JSON (token required).</summary>
    public const string StatusPath = "/v1/status";

    /// <summary>GET: 200 once the receiver listens (no token: the kubelet's probes have none).</summary>
    public const string HealthPath = "/healthz";

    /// <summary>The content type of a read's body (see <see cref="BatchFormat"/>).</summary>
    public const string BatchContentType = "application/vnd.devenv.telemetry-batch";

    /// <summary>Response headers of a read: the counters, so the AppHost shows them without another request.</summary>
    public const string InstanceHeader = "x-devenv-instance";

    public const string BufferedRequestsHeader = "x-devenv-buffered-requests";

    public const string BufferedBytesHeader = "x-devenv-buffered-bytes";

    public const string DroppedRequestsHeader = "x-devenv-dropped-requests";

    public const string DroppedBytesHeader = "x-devenv-dropped-bytes";

    public const string RefusedRequestsHeader = "x-devenv-refused-requests";

    public const string AcceptedRequestsHeader = "x-devenv-accepted-requests";

    /// <summary>Environment variables of the receiver's container.</summary>
    public const string IngestTokenVariable = "DEVENV_RECEIVER_INGEST_TOKEN";

    public const string ReadTokenVariable = "DEVENV_RECEIVER_READ_TOKEN";

    public const string BufferBytesVariable = "DEVENV_RECEIVER_BUFFER_BYTES";

    /// <summary>Port overrides (a pod keeps the defaults; a test runs several receivers on one host).</summary>
    public const string IngestPortVariable = "DEVENV_RECEIVER_INGEST_PORT";

    public const string ReadPortVariable = "DEVENV_RECEIVER_READ_PORT";

    /// <summary>The buffer's bound unless the Deployment says otherwise: 32 MiB, minutes of a busy app's telemetry.</summary>
    public const long DefaultBufferBytes = 32L * 1024 * 1024;

    /// <summary>The largest single OTLP request accepted (the SDK's batches are far smaller).</summary>
    public const long MaxRequestBytes = 4L * 1024 * 1024;
}
