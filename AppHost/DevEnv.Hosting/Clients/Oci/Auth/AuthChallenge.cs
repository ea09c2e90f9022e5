namespace DevEnv.Hosting.Clients.Oci.Auth;

/// <summary>
/// A registry's <c>WWW-Authenticate</c> answer to a 401: <c>Basic realm="..."</c>, or
/// <c>Bearer realm="https://auth/token",service="registry",scope="repository:x:pull,push"</c> (the distribution
/// token spec), which sends the client to the realm for a token.
/// </summary>
/// <param name="Scheme">"Basic" or "Bearer" (as the registry spelled it).</param>
/// <param name="Parameters">realm, service, scope, error, ... (names lower-case).</param>
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>True for the token handshake.</summary>
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    /// <summary>A parameter, or null.</summary>
    public string? this[string name] => Parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>Parses the scheme and its comma-separated auth-params, values quoted or not (RFC 7235).</summary>
    public static AuthChallenge Parse(string scheme, string? parameters)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var text = parameters ?? "";
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            var equals = text.IndexOf('=', i);
            if (equals < 0)
            {
                break;
            }

            var name = text[i..equals].Trim();
            i = equals + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var end = i + 1;
                var builder = new System.Text.StringBuilder();
                while (end < text.Length && text[end] != '"')
                {
                    // A quoted-pair (\") stands for the character after the backslash.
                    if (text[end] == '\\' && end + 1 < text.Length)
                    {
                        end++;
                    }

                    builder.Append(text[end]);
                    end++;
                }

                value = builder.ToString();
                i = end + 1;
            }
            else
            {
                var end = text.IndexOf(',', i);
                end = end < 0 ? text.Length : end;
                value = text[i..end].Trim();
                i = end;
            }

            values[name] = value;
        }

        return new AuthChallenge(scheme, values);
    }
}
