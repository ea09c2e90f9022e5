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
        Message = "Process exiting with code {ExitCode}; {InFlight} requests still in flight; {Served} requests served in total")]
    public static partial void Exiting(ILogger logger, int exitCode, int inFlight, long served);

    [LoggerMessage(EventId = 1007, EventName = "AddressInUse", Level = LogLevel.Critical,
        Message = "Cannot listen: {Detail} Another process already uses that port; stop it or choose another port (ASPNETCORE_URLS / --urls)")]
    public static partial void AddressInUse(ILogger logger, string detail);

    [LoggerMessage(EventId = 1008, EventName = "StateFileFailed", Level = LogLevel.Warning,
        Message = "Could not write the probe state file {Path}")]
    public static partial void StateFileFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 1009, EventName = "PreStopRequested", Level = LogLevel.Information,
        Message = "Pre-stop requested through {Path}")]
    public static partial void PreStopRequested(ILogger logger, string path);
}
