namespace DevEnv.TelemetryReceiver.Protocol;

/// <summary>One OTLP/HTTP request as a pod sent it, numbered by the receiver in arrival order.</summary>
/// <param name="Sequence">1, 2, 3, ... per receiver instance; a read after N releases everything up to N.</param>
/// <param name="Signal">Which OTLP path it came to.</param>
/// <param name="ContentType">application/x-protobuf or application/json, passed on unchanged.</param>
/// <param name="ContentEncoding">gzip or empty, passed on unchanged.</param>
/// <param name="Body">The request body, as sent.</param>
internal sealed record BatchEntry(long Sequence, TelemetrySignal Signal, string ContentType, string ContentEncoding, ReadOnlyMemory<byte> Body)
{
    /// <summary>The OTLP/HTTP path of the signal (/v1/traces, /v1/metrics, /v1/logs).</summary>
    public string Path => Signal switch
    {
        TelemetrySignal.Traces => "/v1/traces",
        TelemetrySignal.Metrics => "/v1/metrics",
        TelemetrySignal.Logs => "/v1/logs",
        _ => throw new InvalidDataException($"unknown telemetry signal {(byte)Signal}"),
    };
}
