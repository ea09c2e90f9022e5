using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Clients.Oci.Auth;
using DevEnv.Hosting.Clients.Oci.Tls;

namespace DevEnv.AppHost.Tests.Clients.Oci.Remote;

/// <summary>
/// A client of a <see cref="SecureRegistry"/> with its credentials, over the real TLS handler, with a look at each
/// exchange: <c>look</c> sees a request first (a response it returns answers it instead of the registry), <c>onAnswer</c>
/// sees (and may reshape) what the registry answered. Everything not answered by <c>look</c> goes to the real registry.
/// </summary>
public static class ObservedClient
{
    /// <summary>Creates the client; <paramref name="chunkSize"/> and <paramref name="retryDelay"/> set the client's own.</summary>
    public static OciRegistryClient Create(SecureRegistry registry, Func<HttpRequestMessage, int, HttpResponseMessage?>? look = null,
        Action<HttpRequestMessage, HttpResponseMessage>? onAnswer = null, TimeSpan? retryDelay = null, long? chunkSize = null)
    {
        var target = registry.Target();
        var certificates = new RegistryCertificateValidator(target.CaFile);
        var credentials = new RegistryCredentials(SecureRegistry.User, SecureRegistry.Password, "test");
        return new OciRegistryClient(target.BaseAddress, new Looking(certificates.CreateHandler(), look ?? ((_, _) => null), onAnswer), TimeSpan.FromSeconds(60))
        {
            Certificates = certificates,
            Authenticator = new RegistryAuthenticator(target.Host, _ => Task.FromResult<RegistryCredentials?>(credentials)),
            RetryDelay = retryDelay ?? TimeSpan.FromSeconds(1),
            ChunkSize = chunkSize,
        };
    }

    private sealed class Looking(HttpMessageHandler inner, Func<HttpRequestMessage, int, HttpResponseMessage?> look, Action<HttpRequestMessage, HttpResponseMessage>? onAnswer) : DelegatingHandler(inner)
    {
        private int _count;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (look(request, Interlocked.Increment(ref _count)) is { } answered)
            {
                return answered;
            }

            var response = await base.SendAsync(request, cancellationToken);
            onAnswer?.Invoke(request, response);
            return response;
        }
    }
}
