namespace DevEnv.TelemetryReceiver.Protocol;

/// <summary>The three OTLP signals, with the byte that names them in a batch.</summary>
internal enum TelemetrySignal : byte
{
    Traces = 1,
    Metrics = 2,
    Logs = 3,
}
