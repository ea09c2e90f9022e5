using System.Web;

namespace DevEnv.AppHost.Clients.Oci.Auth;

/// <summary>
/// The token scope a distribution API request needs (the token spec's <c>repository:&lt;name&gt;:&lt;actions&gt;</c>), read
/// from its method and path: reads need pull, writes pull and push, a cross-repository mount also pull on the source.
/// Tokens are cached under this string, so every request of the same kind reuses one token.
/// </summary>
public static class RegistryScope
{
    private static readonly string[] Sections = ["/blobs/", "/manifests/", "/tags/"];

    /// <summary>The scope of <paramref name="method"/> <paramref name="address"/> (relative or absolute); "" for GET /v2/.</summary>
    public static string For(HttpMethod method, Uri address)
    {
        var text = address.IsAbsoluteUri ? address.PathAndQuery : address.OriginalString;
        var query = text.Contains('?', StringComparison.Ordinal) ? text[(text.IndexOf('?', StringComparison.Ordinal) + 1)..] : "";
        var path = (query.Length > 0 ? text[..text.IndexOf('?', StringComparison.Ordinal)] : text).TrimStart('/');
        if (!path.StartsWith("v2/", StringComparison.Ordinal))
        {
            return "";
        }

        path = path["v2/".Length..];
        if (path.StartsWith("_catalog", StringComparison.Ordinal))
        {
            return "registry:catalog:*";
        }

        var cut = Sections.Select(s => path.IndexOf(s, StringComparison.Ordinal)).Where(i => i > 0).DefaultIfEmpty(-1).Min();
        if (cut < 0)
        {
            return "";
        }

        var name = path[..cut];
        var write = method != HttpMethod.Get && method != HttpMethod.Head;
        var scope = $"repository:{name}:{(write ? "pull,push" : "pull")}";
        return HttpUtility.ParseQueryString(query)["from"] is { Length: > 0 } from ? $"{scope} repository:{from}:pull" : scope;
    }
}
