using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace DevEnv.Hosting.Clients.Oci.Tls;

/// <summary>
/// Verifies a registry's TLS certificate: the system's trust first; when that fails only because the chain ends in an
/// unknown root, the chain is built again with the CA of <c>DEVENV_REGISTRY_CA_FILE</c> as an extra trusted root. A
/// name mismatch or an expired certificate is never accepted, and validation is never switched off. Remembers why it
/// last said no, so the client's error can name the setting that fixes it.
/// </summary>
public sealed class RegistryCertificateValidator
{
    private readonly X509Certificate2Collection _extraRoots = [];

    /// <summary>Trusts the system's roots plus, when given, the CA certificates in <paramref name="caFile"/> (PEM).</summary>
    public RegistryCertificateValidator(string? caFile)
    {
        CaFile = caFile;
        if (caFile is not null)
        {
            try
            {
                _extraRoots.ImportFromPemFile(caFile);
            }
            catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new OciRegistryException(null, $"DEVENV_REGISTRY_CA_FILE={caFile} cannot be read as PEM certificates ({ex.Message}).", ex);
            }

            if (_extraRoots.Count == 0)
            {
                throw new OciRegistryException(null, $"DEVENV_REGISTRY_CA_FILE={caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
            }
        }
    }

    /// <summary>The extra CA file, or null.</summary>
    public string? CaFile { get; }

    /// <summary>Why the last certificate was rejected (for the error message), or null when none was.</summary>
    public string? LastRejection { get; private set; }

    /// <summary>
    /// A handler whose TLS goes through <see cref="Validate"/>, through <paramref name="proxy"/> when one is set (HTTPS_PROXY
    /// and NO_PROXY, see <see cref="Proxy.RegistryProxy"/>), else direct
    /// (the proxy's own credentials come from its <see cref="System.Net.IWebProxy.Credentials"/>, answering a 407).
    /// </summary>
    public SocketsHttpHandler CreateHandler(System.Net.IWebProxy? proxy = null) => new()
    {
        UseProxy = proxy is not null,
        Proxy = proxy,
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate },
    };

    /// <summary>The TLS callback.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            LastRejection = null;
            return true;
        }

        if (certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            LastRejection = errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
                ? "its certificate does not name the host"
                : "it sent no usable certificate";
            return false;
        }

        if (_extraRoots.Count == 0)
        {
            LastRejection = "its certificate is signed by an unknown CA";
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_extraRoots);
        // Intermediates the server sent help build the path; they are not trusted by being sent.
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        // As SslStream's own default: revocation is not checked (a private CA rarely publishes a CRL).
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var ok = certificate is X509Certificate2 leaf && custom.Build(leaf);
        LastRejection = ok ? null : $"its certificate does not chain to the CA in DEVENV_REGISTRY_CA_FILE ({string.Join(", ", custom.ChainStatus.Select(s => s.Status))})";
        return ok;
    }
}
