namespace DevEnv.Hosting.Clients.Oci.Auth;

/// <summary>
/// A user name and secret for one registry, and where they were found (for error messages). The secret is never part of
/// <see cref="ToString"/>, so a credential that ends up in a log or an exception shows only its source.
/// </summary>
/// <param name="Username">The user name (for token registries often a fixed word such as "&lt;token&gt;").</param>
/// <param name="Secret">The password or token.</param>
/// <param name="Source">Where they came from, e.g. "DEVENV_REGISTRY_USERNAME/PASSWORD" or "auths in /root/.docker/config.json".</param>
public sealed record RegistryCredentials(string Username, string Secret, string Source)
{
    /// <summary>The user name docker's credential helper protocol uses to say the secret is an identity token.</summary>
    public const string IdentityTokenUser = "<token>";

    /// <summary>
    /// True when <see cref="Secret"/> is an OAuth2 refresh ("identity") token, to be exchanged at the token realm with a
    /// POST (grant_type=refresh_token) rather than sent as a password: a config.json <c>identitytoken</c> (what
    /// <c>az acr login</c> writes), or a helper's answer with the user name <c>&lt;token&gt;</c>, as docker reads them.
    /// </summary>
    public bool IsIdentityToken { get; init; } = Username == IdentityTokenUser;

    /// <summary>The value of a Basic Authorization header (base64 of user:secret).</summary>
    public string BasicValue => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Username}:{Secret}"));

    /// <inheritdoc />
    public override string ToString() => $"credentials from {Source}";
}
