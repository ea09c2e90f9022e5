using Docker.DotNet.Models;

namespace DevEnv.Hosting.Clients.Docker;

/// <summary>
/// Watches a pull or push message stream for the engine's error message (the HTTP status was already 200), passing
/// every message on to <paramref name="inner"/>. Reports arrive synchronously as Docker.DotNet reads the stream.
/// </summary>
internal sealed class StreamFailureProgress(IProgress<JSONMessage>? inner) : IProgress<JSONMessage>
{
    private string? _error;

    public void Report(JSONMessage value)
    {
        if (!string.IsNullOrEmpty(value.Error?.Message))
        {
            _error ??= value.Error.Message;
        }

        inner?.Report(value);
    }

    /// <summary>Throws <see cref="DockerStreamFailedException"/> when the stream carried an error.</summary>
    public void ThrowIfFailed(string operation)
    {
        if (_error is not null)
        {
            throw new DockerStreamFailedException(operation, _error);
        }
    }
}
