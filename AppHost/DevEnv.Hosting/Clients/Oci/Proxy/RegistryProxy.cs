using System.Net;

namespace DevEnv.Hosting.Clients.Oci.Proxy;

/// <summary>
/// The proxy a remote registry is reached through, read as curl and Go read it: <c>HTTPS_PROXY</c> (or
/// <c>https_proxy</c>, then <c>ALL_PROXY</c>) for https, <c>HTTP_PROXY</c> for plain http, skipped for hosts in
/// <c>NO_PROXY</c> (comma-separated: <c>*</c>, a host, <c>.suffix</c> or <c>suffix</c> matching at a dot, an IP, a CIDR
/// range, each optionally with <c>:port</c>). User and password in the proxy URL answer a 407 (percent-decoded).
/// Read from a settings function (not HttpClient.DefaultProxy, which reads the process environment once), so the
/// AppHost's settings and tests decide. Loopback is not bypassed implicitly (curl does not either): list it in NO_PROXY.
/// </summary>
public sealed class RegistryProxy : IWebProxy
{
    private readonly Uri? _https;
    private readonly Uri? _http;
    private readonly NoProxyList _bypass;

    private RegistryProxy(Uri? https, Uri? http, NoProxyList bypass, ICredentials? credentials)
    {
        _https = https;
        _http = http;
        _bypass = bypass;
        Credentials = credentials;
    }

    /// <summary>The proxy credentials (from the URL's user info), or null.</summary>
    public ICredentials? Credentials { get; set; }

    /// <summary>The https proxy (for messages, without user info), or null when none is set.</summary>
    public Uri? HttpsProxy => _https is null ? null : new UriBuilder(_https) { UserName = "", Password = "" }.Uri;

    /// <summary>The proxy settings of <paramref name="read"/>, or null when no proxy variable is set.</summary>
    public static RegistryProxy? FromSettings(Func<string, string?> read)
    {
        string? First(params string[] names) => names.Select(read).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
        var all = First("ALL_PROXY", "all_proxy");
        var https = Parse(First("HTTPS_PROXY", "https_proxy") ?? all, "HTTPS_PROXY");
        var http = Parse(First("HTTP_PROXY", "http_proxy") ?? all, "HTTP_PROXY");
        if (https is null && http is null)
        {
            return null;
        }

        var userInfo = (https ?? http)!.UserInfo;
        ICredentials? credentials = null;
        if (userInfo.Length > 0)
        {
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            credentials = colon < 0
                ? new NetworkCredential(Uri.UnescapeDataString(userInfo), "")
                : new NetworkCredential(Uri.UnescapeDataString(userInfo[..colon]), Uri.UnescapeDataString(userInfo[(colon + 1)..]));
        }

        return new RegistryProxy(https, http, NoProxyList.Parse(First("NO_PROXY", "no_proxy")), credentials);
    }

    /// <inheritdoc />
    public Uri? GetProxy(Uri destination)
    {
        var proxy = destination.Scheme == Uri.UriSchemeHttps ? _https : _http;
        return proxy is null ? null : new UriBuilder(proxy) { UserName = "", Password = "" }.Uri;
    }

    /// <inheritdoc />
    public bool IsBypassed(Uri host) => GetProxy(host) is null || _bypass.Matches(host.IdnHost, host.Port);

    // A value without a scheme is an http proxy (as curl takes "proxy:3128").
    private static Uri? Parse(string? value, string name)
    {
        if (value is null)
        {
            return null;
        }

        var text = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new OciRegistryException(null, $"{name} is not a proxy URL (http://[user:password@]host:port); fix it or unset it.");
    }
}
