using System.Net.Sockets;

namespace DevEnv.Hosting.Traffic;

/// <summary>
/// Maps a failed request to a <see cref="FailureKind"/>. What the wire saw (<see cref="RequestWire"/>) decides
/// first: an exception only says how the last attempt ended, and after a connection cut before the response that
/// is often not the cause (the connection the client would re-send on is refused because the pod is gone).
/// </summary>
public static class FailureClassifier
{
    /// <summary>
    /// Kind of a request that ended with <paramref name="exception"/>; <paramref name="timedOut"/> when our own
    /// timeout fired; <paramref name="wire"/> what its connection did, when known.
    /// </summary>
    public static FailureKind Classify(Exception exception, bool timedOut, RequestWire? wire = null)
    {
        if (timedOut) return FailureKind.Timeout;
        // The handler re-sends only a request that got no response byte, so a stopped re-send is a drop too.
        if (wire is not null && (wire.EndedBeforeResponse || wire.ResendBlocked)) return FailureKind.Dropped;
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case SocketException socket:
                    return socket.SocketErrorCode switch
                    {
                        SocketError.ConnectionRefused => FailureKind.Refused,
                        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown or SocketError.NotConnected => FailureKind.Reset,
                        SocketError.TimedOut => FailureKind.Timeout,
                        _ => FailureKind.Other,
                    };
                case HttpIOException io when io.HttpRequestError == HttpRequestError.ResponseEnded:
                    return FailureKind.Reset;
                case TimeoutException:
                    return FailureKind.Timeout;
            }
        }
        // A response cut short without a socket error (the peer closed cleanly after the response began) is a reset.
        return exception is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } ? FailureKind.Reset : FailureKind.Other;
    }

    /// <summary>Kind of a completed response with <paramref name="statusCode"/>, or null when it counts as a success.</summary>
    public static FailureKind? ClassifyStatus(int statusCode) => statusCode switch
    {
        >= 500 => FailureKind.ServerError,
        >= 400 => FailureKind.Other,
        _ => null,
    };
}
