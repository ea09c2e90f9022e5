namespace DevEnv.Hosting.Traffic;

/// <summary>
/// What one request's connection did on the wire, recorded by <see cref="WireStream"/>: when its bytes went out,
/// whether any response byte came back, and whether the connection ended before one did.
/// </summary>
public sealed class RequestWire
{
    private int _attempts;
    private int _responseStarted;
    private int _endedBeforeResponse;
    private int _resendBlocked;

    internal RequestWire(long id, long createdTimestamp)
    {
        Id = id;
        CreatedTimestamp = createdTimestamp;
    }

    /// <summary>The request's id (the X-Load-Request header).</summary>
    public long Id { get; }

    /// <summary>When the client was handed the request (TimeProvider timestamp).</summary>
    public long CreatedTimestamp { get; }

    /// <summary>When the write of the request's headers to a connection completed (TimeProvider timestamp), 0 when never.</summary>
    public long WrittenTimestamp { get; private set; }

    /// <summary>True once a response byte arrived.</summary>
    public bool ResponseStarted => Volatile.Read(ref _responseStarted) == 1;

    /// <summary>True when the request was sent and its connection ended (FIN, RST, failed write) before any response byte.</summary>
    public bool EndedBeforeResponse => Volatile.Read(ref _endedBeforeResponse) == 1;

    /// <summary>True when the HTTP client tried to send the request a second time and the wire refused to.</summary>
    public bool ResendBlocked => Volatile.Read(ref _resendBlocked) == 1;

    /// <summary>Claims the wire for the first send; false (and <see cref="ResendBlocked"/>) for any later one.</summary>
    internal bool TryBeginSend()
    {
        if (Interlocked.Increment(ref _attempts) == 1) return true;
        Volatile.Write(ref _resendBlocked, 1);
        return false;
    }

    /// <summary>The headers' write completed: the request is on the wire (a cancelled write may have sent nothing).</summary>
    internal void MarkWritten(long timestamp)
    {
        if (WrittenTimestamp == 0) WrittenTimestamp = timestamp;
    }

    internal void MarkResponseStarted() => Volatile.Write(ref _responseStarted, 1);

    internal void MarkEnded()
    {
        if (!ResponseStarted) Volatile.Write(ref _endedBeforeResponse, 1);
    }
}
