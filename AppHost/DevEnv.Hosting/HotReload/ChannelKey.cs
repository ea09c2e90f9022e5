using System.Net;
using System.Security.Cryptography;

namespace DevEnv.Hosting.HotReload;

/// <summary>
/// The key of the Hot Reload channel, in the SDK agent's own scheme: the agent gets the public key
/// (DOTNET_WATCH_HOTRELOAD_WEBSOCKET_KEY, from a Kubernetes Secret), encrypts 32 random bytes with it (RSA-OAEP-SHA256)
/// and sends them as the WebSocket subprotocol; only a subprotocol the private key decrypts is let in. The key pair is
/// kept in the environment's state folder (owner-only), so pods started while the AppHost was away still get in later.
/// </summary>
public sealed class ChannelKey : IDisposable
{
    private readonly RSA _rsa;

    private ChannelKey(RSA rsa)
    {
        _rsa = rsa;
        PublicKey = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
    }

    /// <summary>The public key as the agent reads it (base64 SubjectPublicKeyInfo).</summary>
    public string PublicKey { get; }

    /// <summary>The key in <paramref name="file"/>, created (mode 600, from its first byte) when missing.</summary>
    public static async Task<ChannelKey> LoadOrCreateAsync(string file, CancellationToken cancellationToken)
    {
        var rsa = RSA.Create(2048);
        if (File.Exists(file))
        {
            rsa.ImportFromPem(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false));
            return new ChannelKey(rsa);
        }

        await Resources.Cluster.PrivateFile.WriteAsync(file, rsa.ExportPkcs8PrivateKeyPem(), cancellationToken).ConfigureAwait(false);
        return new ChannelKey(rsa);
    }

    /// <summary>A key that lives in memory only (tests).</summary>
    public static ChannelKey CreateEphemeral() => new(RSA.Create(2048));

    /// <summary>Whether <paramref name="subProtocol"/> (URL-encoded base64) decrypts to the agent's 32-byte secret.</summary>
    public bool Accepts(string? subProtocol)
    {
        if (string.IsNullOrEmpty(subProtocol))
        {
            return false;
        }

        try
        {
            var secret = _rsa.Decrypt(Convert.FromBase64String(WebUtility.UrlDecode(subProtocol)), RSAEncryptionPadding.OaepSHA256);
            return secret.Length == 32;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return false;
        }
    }

    /// <summary>What the SDK's agent sends for this key (tests, and a check of the scheme).</summary>
    public static string AgentSubProtocol(string publicKey)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey), out _);
        return WebUtility.UrlEncode(Convert.ToBase64String(rsa.Encrypt(RandomNumberGenerator.GetBytes(32), RSAEncryptionPadding.OaepSHA256)));
    }

    /// <inheritdoc />
    public void Dispose() => _rsa.Dispose();
}
