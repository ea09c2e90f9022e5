namespace DevEnv.Hosting.Traffic;

/// <summary>The HTTP client tried to send a request a second time after its connection was cut; <see cref="WireStream"/> refused.</summary>
public sealed class ResendBlockedException(long requestId)
    : IOException($"request {requestId} was already sent once; the load generator does not let the HTTP client re-send it")
{
    /// <summary>The request the client tried to re-send.</summary>
    public long RequestId { get; } = requestId;
}
