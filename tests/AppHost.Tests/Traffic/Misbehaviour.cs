namespace DevEnv.AppHost.Tests.Traffic;

/// <summary>What <see cref="MisbehavingServer"/> does with a request once it has read it whole.</summary>
public enum Misbehaviour
{
    /// <summary>200 "ok", keep-alive unless the request said Connection: close.</summary>
    Answer,

    /// <summary>Close the connection (FIN) without a response byte.</summary>
    CloseAfterRequest,

    /// <summary>Send the headers and part of the body, then reset (RST, linger 0).</summary>
    ResetMidResponse,

    /// <summary>Never answer; hold the connection until disposed.</summary>
    Stall,

    /// <summary>503 with a body.</summary>
    ServiceUnavailable,

    /// <summary>Odd-numbered requests (1st, 3rd...) are closed after reading (FIN), even ones answered.</summary>
    CloseEveryOther,
}
