using System.Text;
using System.Text.Json;

namespace DevEnv.AppHost.Clients.Docker;

/// <summary>Images over <see cref="DockerTransport"/>.</summary>
internal sealed class ImageOperations(DockerTransport transport) : IImageOperations
{
    // The daemon insists on an X-Registry-Auth header for pushes; an empty JSON object means anonymous.
    private static readonly Dictionary<string, string> AnonymousAuth = new() { ["X-Registry-Auth"] = Convert.ToBase64String("{}"u8.ToArray()) };

    public Task<ImageInspect> InspectAsync(string image, CancellationToken cancellationToken) =>
        transport.GetJsonAsync<ImageInspect>(HttpMethod.Get, $"images/{Uri.EscapeDataString(image)}/json", $"inspect image {image}", null, cancellationToken);

    public async Task<ImageInspect?> TryInspectAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            return await InspectAsync(image, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerNotFoundException)
        {
            return null;
        }
    }

    public Task PullAsync(string image, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        var (repository, reference, _) = ImageReference.Split(image);
        return StreamAsync($"images/create?fromImage={Uri.EscapeDataString(repository)}&tag={Uri.EscapeDataString(reference)}",
            $"pull {image}", null, progress, cancellationToken);
    }

    public Task TagAsync(string source, string repository, string tag, CancellationToken cancellationToken) =>
        transport.SendAndForgetAsync(HttpMethod.Post,
            $"images/{Uri.EscapeDataString(source)}/tag?repo={Uri.EscapeDataString(repository)}&tag={Uri.EscapeDataString(tag)}",
            $"tag {source} as {repository}:{tag}", null, cancellationToken);

    public Task PushAsync(string repository, string tag, IProgress<PullProgress>? progress, CancellationToken cancellationToken) =>
        StreamAsync($"images/{Uri.EscapeDataString(repository)}/push?tag={Uri.EscapeDataString(tag)}", $"push {repository}:{tag}", AnonymousAuth, progress, cancellationToken);

    public Task RemoveAsync(string image, bool force, CancellationToken cancellationToken) =>
        transport.SendAndForgetAsync(HttpMethod.Delete, $"images/{Uri.EscapeDataString(image)}?force={(force ? "true" : "false")}", $"remove image {image}", null, cancellationToken);

    // Pull and push answer 200 at once and report failures inside the JSON stream, so errors are read from the messages.
    private async Task StreamAsync(string path, string operation, IReadOnlyDictionary<string, string>? headers, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        using var response = await transport.SendAsync(HttpMethod.Post, path, operation, stream: true, headers: headers, cancellationToken: cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var message = JsonSerializer.Deserialize<PullProgress>(line, DockerTransport.Json);
            if (message?.Error is { } error)
            {
                throw new DockerApiException(response.StatusCode, operation, error);
            }

            if (message is not null)
            {
                progress?.Report(message);
            }
        }
    }
}
