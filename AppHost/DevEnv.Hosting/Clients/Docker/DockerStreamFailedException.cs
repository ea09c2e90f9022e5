using System.Net;

namespace DevEnv.Hosting.Clients.Docker;

/// <summary>
/// A pull or push the engine accepted (HTTP 200) and then reported as failed inside its JSON message stream, which
/// Docker.DotNet passes to the progress callback without throwing. A <see cref="global::Docker.DotNet.DockerApiException"/>,
/// so whoever handles the engine's refusals handles these too.
/// </summary>
public sealed class DockerStreamFailedException(string operation, string error) : global::Docker.DotNet.DockerApiException(HttpStatusCode.OK, error)
{
    /// <summary>What failed, e.g. "push 127.0.0.1:5001/runtime-deps:10.0".</summary>
    public string Operation { get; } = operation;

    /// <summary>The engine's own words.</summary>
    public string Error { get; } = error;

    /// <inheritdoc />
    public override string Message => $"Docker Engine: {Operation} failed: {Error}";
}
