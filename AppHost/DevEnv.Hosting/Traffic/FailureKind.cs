namespace DevEnv.Hosting.Traffic;

/// <summary>
/// Why a request failed, as the client saw it on the wire; the report counts each kind separately because each
/// points at a different cause. Every request is sent once (see <see cref="WireLedger"/>), so a kind that a
/// retrying client would have hidden by sending the request again is still counted: <see cref="Dropped"/>.
/// </summary>
public enum FailureKind
{
    /// <summary>The TCP connection was refused before the request was sent: nothing listened (a pod gone while its endpoint was still in rotation).</summary>
    Refused,

    /// <summary>
    /// The request was sent and the connection ended (FIN or RST) before the first response byte: a process killed
    /// or crashed holding the request (SIGKILL at the end of the grace period, OOM), or a keep-alive connection
    /// closed as the request went out. .NET's SocketsHttpHandler and browsers (for GET) re-send such a request on
    /// another connection, so with another pod behind the Service they hide it; a client without that retry fails.
    /// </summary>
    Dropped,

    /// <summary>The connection was reset or closed after the response had begun: a response cut short mid-headers or mid-body.</summary>
    Reset,

    /// <summary>No complete response within the request timeout (including any time spent waiting for a connection).</summary>
    Timeout,

    /// <summary>An HTTP status of 500 or above.</summary>
    ServerError,

    /// <summary>Anything else: a 4xx status, a protocol error, a DNS failure.</summary>
    Other,
}
