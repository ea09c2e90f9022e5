using System.Web;

namespace DevEnv.Hosting.Clients.Oci.Auth;

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

    /// <summary>
    /// The scopes of a token request, one per resource with the union of its actions (pull, push, then the rest in
    /// ordinal order), resources in the order first named. Ours and the challenge's often name the same repository with
    /// the actions in another order (the distribution registry writes them from a Go map, so "push,pull" as often as
    /// "pull,push"); asking once per resource keeps the request, and the token, the same every time.
    /// </summary>
    public static IReadOnlyList<string> Union(IEnumerable<string> scopes)
    {
        var resources = new List<string>();
        var actions = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var scope in scopes.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            // type:name:actions; a name may hold a colon (a registry host with a port), the actions never do.
            var cut = scope.LastIndexOf(':');
            var resource = cut > 0 ? scope[..cut] : scope;
            if (!actions.TryGetValue(resource, out var set))
            {
                set = new SortedSet<string>(ActionOrder.Instance);
                actions[resource] = set;
                resources.Add(resource);
            }

            if (cut > 0)
            {
                set.UnionWith(scope[(cut + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries));
            }
        }

        return resources.Select(r => actions[r].Count == 0 ? r : $"{r}:{string.Join(',', actions[r])}").ToArray();
    }

    // pull before push (as the spec's examples write them), anything else after, ordinal.
    private sealed class ActionOrder : IComparer<string>
    {
        public static readonly ActionOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            var byRank = Rank(x).CompareTo(Rank(y));
            return byRank != 0 ? byRank : string.CompareOrdinal(x, y);
        }

        private static int Rank(string? action) => action switch { "pull" => 0, "push" => 1, _ => 2 };
    }
}
