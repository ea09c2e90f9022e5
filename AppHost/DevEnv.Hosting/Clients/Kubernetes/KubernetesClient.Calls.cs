using System.Net.Sockets;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;

namespace DevEnv.Hosting.Clients.Kubernetes;

/// <content>The client built from our kubeconfig, and every failure turned into one line naming the API server.</content>
public sealed partial class KubernetesClient
{
    private async Task<T> CallAsync<T>(string what, Func<k8s.Kubernetes, Task<T>> call)
    {
        var api = Api();
        try
        {
            return await call(api).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(what, ex) is { } translated)
        {
            throw translated;
        }
    }

    private async Task CallAsync(string what, Func<k8s.Kubernetes, Task> call) =>
        await CallAsync<bool>(what, async api =>
        {
            await call(api).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);

    /// <summary>An exception as one line naming the API server and what to do; null for cancellation and our own.</summary>
    internal KubernetesApiException? Translate(string what, Exception ex) => ex switch
    {
        KubernetesApiException => null,
        OperationCanceledException => null,
        HttpOperationException http => new KubernetesApiException(
            $"The Kubernetes API server {_server} refused to {what}: {(int)http.Response.StatusCode} {StatusMessage(http.Response.Content) ?? http.Response.ReasonPhrase}",
            http.Response.StatusCode, http),
        HttpRequestException { InnerException: SocketException socket } => Unreachable(socket.Message, ex),
        HttpRequestException request => Unreachable(request.Message, ex),
        IOException io => Unreachable(io.Message, ex),
        _ => null,
    };

    private KubernetesApiException Unreachable(string reason, Exception ex) => new(
        $"Cannot reach the Kubernetes API server at {_server} (context {context} in {kubeconfigPath}): {reason}. " +
        "Is the cluster running? `dotnet run --project AppHost -- status` shows it; `up` starts it.",
        inner: ex);

    // The API server explains a refusal in a Status object; its message is what a user needs.
    private static string? StatusMessage(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(content);
            return document.RootElement.TryGetProperty("message", out var message) ? message.GetString() : null;
        }
        catch (JsonException)
        {
            return content.Split('\n')[0];
        }
    }

    private k8s.Kubernetes Api()
    {
        lock (_gate)
        {
            var file = new FileInfo(kubeconfigPath);
            if (!file.Exists)
            {
                throw new KubernetesApiException($"Our kubeconfig {kubeconfigPath} does not exist yet: the cluster has not been created (`dotnet run --project AppHost` creates it).");
            }

            var stamp = (file.LastWriteTimeUtc, file.Length);
            if (_api is null || stamp != _loaded)
            {
                KubernetesClientConfiguration config;
                try
                {
                    // Our file and the context named explicitly: neither KUBECONFIG nor the file's current-context counts.
                    config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath, currentContext: context);
                }
                catch (KubeConfigException ex)
                {
                    throw new KubernetesApiException($"Our kubeconfig {kubeconfigPath} cannot be used with context {context}: {ex.Message}", inner: ex);
                }

                _api?.Dispose();
                _api = new k8s.Kubernetes(config);
                _server = config.Host;
                _loaded = stamp;
            }

            return _api;
        }
    }
}
