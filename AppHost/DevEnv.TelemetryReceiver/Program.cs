// DevEnv's in-cluster telemetry receiver: OTLP/HTTP in from the pods (token from a Secret), a bounded buffer, read out
// by the AppHost through the Kubernetes API server. See TelemetryBuffer and ReceiverProtocol.
using DevEnv.TelemetryReceiver;
using DevEnv.TelemetryReceiver.Protocol;

var (settings, error) = ReceiverSettings.From(Environment.GetEnvironmentVariable);
if (settings is null)
{
    await Console.Error.WriteLineAsync("devenv-telemetry: " + error);
    return 2;
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.ListenAnyIP(settings.IngestPort);
    kestrel.ListenAnyIP(settings.ReadPort);
    kestrel.Limits.MaxRequestBodySize = ReceiverProtocol.MaxRequestBytes;
});

var buffer = new TelemetryBuffer(settings.BufferBytes);
var app = builder.Build();
IngestEndpoints.Map(app, settings, buffer);
ReadEndpoints.Map(app, settings, buffer);
await Console.Out.WriteLineAsync($"devenv-telemetry: OTLP/HTTP on :{settings.IngestPort}, read on :{settings.ReadPort}, buffer {settings.BufferBytes} bytes, instance {buffer.Instance}");
await app.RunAsync();
return 0;
