using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace DevEnv.ServiceDefaults.Management;

/// <summary>
/// The addresses the server listens on: the app's own, as the host would pick them (<c>urls</c> /
/// ASPNETCORE_URLS / --urls, else ASPNETCORE_HTTP_PORTS and HTTPS_PORTS, else Kestrel's default), plus the
/// management port on the same interface as the first of them (a wildcard stays a wildcard, so the kubelet reaches
/// it on the pod IP; a loopback app keeps its probes on loopback).
/// </summary>
internal static class ServerUrls
{
    public static IReadOnlyList<string> Serving(IConfiguration configuration)
    {
        if (Split(configuration["urls"]) is { Count: > 0 } urls)
        {
            return urls;
        }

        var ports = Split(configuration["http_ports"]).Select(p => $"http://*:{p}")
            .Concat(Split(configuration["https_ports"]).Select(p => $"https://*:{p}")).ToList();
        return ports.Count > 0 ? ports : ["http://localhost:5000"];
    }

    public static string Management(IReadOnlyList<string> serving, int port)
    {
        var first = serving[0];
        var afterScheme = first.IndexOf("://", StringComparison.Ordinal) is var i and >= 0 ? first[(i + 3)..] : first;
        var hostEnd = afterScheme.StartsWith('[') ? afterScheme.IndexOf(']') + 1 : afterScheme.IndexOfAny([':', '/']);
        var host = hostEnd > 0 ? afterScheme[..hostEnd] : afterScheme;
        return string.Create(CultureInfo.InvariantCulture, $"http://{(host.Length == 0 ? "*" : host)}:{port}");
    }

    /// <summary>The port of a URL as the server would bind it, or null when it names none (or a dynamic 0).</summary>
    public static int? PortOf(string url)
    {
        var afterScheme = url.IndexOf("://", StringComparison.Ordinal) is var i and >= 0 ? url[(i + 3)..] : url;
        var hostPort = afterScheme.Split('/')[0];
        var colon = hostPort.LastIndexOf(':');
        return colon > hostPort.LastIndexOf(']') && int.TryParse(hostPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? port
            : url.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? 443 : 80;
    }

    private static List<string> Split(string? value) =>
        [.. (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
