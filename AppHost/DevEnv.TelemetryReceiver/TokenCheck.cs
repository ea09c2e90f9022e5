using System.Security.Cryptography;
using System.Text;
using DevEnv.TelemetryReceiver.Protocol;
using Microsoft.AspNetCore.Http;

namespace DevEnv.TelemetryReceiver;

/// <summary>Compares a request's token with the expected one in constant time.</summary>
internal static class TokenCheck
{
    /// <summary>Whether the request carries exactly <paramref name="expected"/> in <see cref="ReceiverProtocol.TokenHeader"/>.</summary>
    public static bool Carries(HttpRequest request, string expected) =>
        request.Headers[ReceiverProtocol.TokenHeader] is [{ } presented]
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}
