using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace DevEnv.AppHost.Dashboard;

/// <summary>
/// The dashboard's guard. A random token printed in the console as a login URL; <c>/login?t=</c> trades it
/// for an HttpOnly, SameSite=Strict cookie. Every other request needs the cookie (or the token as a bearer
/// header, for scripts); state-changing requests also need a same-origin proof, and the Host header must name
/// this machine so a DNS-rebinding page cannot talk to us.
/// </summary>
public sealed class DashboardAuth
{
    /// <summary>The cookie that carries the token.</summary>
    public const string CookieName = "devenv_dashboard";

    /// <summary>The header the dashboard's own script sends with every POST (a cross-site form cannot set it).</summary>
    public const string CsrfHeader = "X-DevEnv-Request";

    private readonly byte[] _token;

    /// <summary>Creates a guard with a fresh random token, or the given one.</summary>
    public DashboardAuth(string? token = null)
    {
        Token = token ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        _token = Encoding.UTF8.GetBytes(Token);
    }

    /// <summary>The secret; shown only in the console's login URL.</summary>
    public string Token { get; }

    /// <summary>Whether <paramref name="candidate"/> is the token (constant time).</summary>
    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _token);

    /// <summary>Whether the request carries the token in the cookie or an Authorization: Bearer header.</summary>
    public bool IsAuthenticated(HttpRequest request)
    {
        if (Matches(request.Cookies[CookieName]))
        {
            return true;
        }

        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && Matches(header["Bearer ".Length..]);
    }

    /// <summary>
    /// A state-changing request must come from our own page: it carries our custom header (which a cross-origin
    /// page cannot send without a CORS preflight we never grant) and, when the browser names an Origin, it is ours.
    /// </summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        if (!request.Headers.ContainsKey(CsrfHeader))
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether the Host header names a loopback name or the address we bound to (DNS-rebinding guard).</summary>
    public static bool IsAllowedHost(HttpRequest request, string bindAddress)
    {
        var host = request.Host.Host.Trim('[', ']');
        return host is "127.0.0.1" or "localhost" or "::1" || string.Equals(host, bindAddress, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The cookie's options: HttpOnly (no script reads it), SameSite=Strict (no cross-site request sends it).</summary>
    public static CookieOptions CookieOptions => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        IsEssential = true,
    };
}
