using System.Net.Sockets;

namespace DevEnv.AppHost.Traffic;

/// <summary>Maps what HttpClient threw to a <see cref="FailureKind"/>, looking through the inner exceptions to the socket error.</summary>
public static class FailureClassifier
{
    /// <summary>Kind of a failure that ended with <paramref name="exception"/>; <paramref name="timedOut"/> when our own timeout fired.</summary>
    public static FailureKind Classify(Exception exception, bool timedOut)
    {
        if (timedOut) return FailureKind.Timeout;
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
        // A response cut short without a socket error (the peer closed cleanly mid-response) is still a reset.
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
