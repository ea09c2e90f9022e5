using Microsoft.Extensions.Logging;

namespace DevEnv.ServiceDefaults.Logging;

/// <summary>The service's lifecycle log events (structured: each placeholder becomes a JSON field).</summary>
internal static partial class ServiceLog
{
    [LoggerMessage(EventId = 1001, EventName = "DrainStarted", Level = LogLevel.Information,
        Message = "Draining started by {Reason}: readiness now 503, still serving for {DrainDelayMs} ms; {InFlight} requests in flight")]
    public static partial void DrainStarted(ILogger logger, string reason, double drainDelayMs, int inFlight);

    [LoggerMessage(EventId = 1002, EventName = "DrainAlreadyStarted", Level = LogLevel.Information,
        Message = "{Reason} received while already draining (started {ElapsedMs} ms ago by {FirstReason}); the drain delay is not restarted")]
    public static partial void DrainAlreadyStarted(ILogger logger, string reason, double elapsedMs, string firstReason);

    [LoggerMessage(EventId = 1003, EventName = "StoppingServer", Level = LogLevel.Information,
        Message = "Drain delay over: stopping to accept connections; waiting up to {TimeoutMs} ms for {InFlight} in-flight requests")]
    public static partial void StoppingServer(ILogger logger, double timeoutMs, int inFlight);

    [LoggerMessage(EventId = 1004, EventName = "SignalIgnored", Level = LogLevel.Warning,
        Message = "{Signal} received again: already shutting down, in-flight requests still get to finish (send SIGKILL to force)")]
    public static partial void SignalIgnored(ILogger logger, string signal);

    [LoggerMessage(EventId = 1005, EventName = "SignalReceived", Level = LogLevel.Information,
        Message = "{Signal} received")]
    public static partial void SignalReceived(ILogger logger, string signal);

    [LoggerMessage(EventId = 1006, EventName = "Exiting", Level = LogLevel.Information,
        Message = "Process exiting with code {ExitCode}; {Served} requests served; {AbortedAtTimeout} requests aborted at the shutdown timeout; {InFlight} still running")]
    public static partial void Exiting(ILogger logger, int exitCode, long served, long abortedAtTimeout, int inFlight);

    [LoggerMessage(EventId = 1007, EventName = "AddressInUse", Level = LogLevel.Critical,
        Message = "Cannot listen: {Detail} Another process already uses that port; stop it or choose another port (ASPNETCORE_URLS / --urls, Probe__Port)")]
    public static partial void AddressInUse(ILogger logger, string detail);

    [LoggerMessage(EventId = 1008, EventName = "StateFileFailed", Level = LogLevel.Error,
        Message = "Could not write the probe state file {Path}; the exec probes (probe live|ready|startup) fail {StaleAfterSeconds} s after the last good write unless this recovers")]
    public static partial void StateFileFailed(ILogger logger, Exception exception, string path, double staleAfterSeconds);

    [LoggerMessage(EventId = 1009, EventName = "PreStopRequested", Level = LogLevel.Information,
        Message = "Pre-stop requested through {Path}")]
    public static partial void PreStopRequested(ILogger logger, string path);

    [LoggerMessage(EventId = 1010, EventName = "StateFileRecovered", Level = LogLevel.Information,
        Message = "The probe state file {Path} is being written again")]
    public static partial void StateFileRecovered(ILogger logger, string path);

    [LoggerMessage(EventId = 1011, EventName = "HeartbeatStopped", Level = LogLevel.Critical,
        Message = "The heartbeat stopped ({Reason}); stopping the app now rather than letting liveness fail later without a word")]
    public static partial void HeartbeatStopped(ILogger logger, Exception exception, string reason);

    [LoggerMessage(EventId = 1012, EventName = "CheckFailing", Level = LogLevel.Warning,
        Message = "Health check {Check} is now {Status} (was {Previous}): {Description}")]
    public static partial void CheckFailing(ILogger logger, Exception? exception, string check, string status, string previous, string description);

    [LoggerMessage(EventId = 1013, EventName = "CheckHealthy", Level = LogLevel.Information,
        Message = "Health check {Check} is now Healthy (was {Previous})")]
    public static partial void CheckHealthy(ILogger logger, string check, string previous);

    [LoggerMessage(EventId = 1014, EventName = "RequestAbortedAtTimeout", Level = LogLevel.Warning,
        Message = "{Method} {Path} aborted at the shutdown timeout after {ElapsedMs} ms (Shutdown:Timeout {TimeoutMs} ms): its client saw the connection reset")]
    public static partial void RequestAbortedAtTimeout(ILogger logger, string method, string path, double elapsedMs, double timeoutMs);

    [LoggerMessage(EventId = 1015, EventName = "StartFailed", Level = LogLevel.Critical,
        Message = "Cannot start: {Detail}")]
    public static partial void StartFailed(ILogger logger, string detail);

    [LoggerMessage(EventId = 1016, EventName = "Listening", Level = LogLevel.Information,
        Message = "Serving on {Addresses}; probes on port {ManagementPort} (/healthz/startup, /healthz/live, /healthz/ready), not exposed by the Service")]
    public static partial void Listening(ILogger logger, string addresses, int managementPort);
}
