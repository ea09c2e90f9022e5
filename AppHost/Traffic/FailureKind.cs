namespace DevEnv.AppHost.Traffic;

/// <summary>Why a request failed; the report counts each kind separately because each points at a different cause.</summary>
public enum FailureKind
{
    /// <summary>The TCP connection was refused: nothing listened (a pod gone before the endpoint left the rotation).</summary>
    Refused,

    /// <summary>The connection was reset or closed before a full response (a process killed mid-request, an idle keep-alive closed under us).</summary>
    Reset,

    /// <summary>No response within the request timeout.</summary>
    Timeout,

    /// <summary>An HTTP status of 500 or above.</summary>
    ServerError,

    /// <summary>Anything else: a 4xx status, a protocol error, a DNS failure.</summary>
    Other,
}
