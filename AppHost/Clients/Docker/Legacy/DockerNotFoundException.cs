using System.Net;

namespace DevEnv.AppHost.Clients.Docker;

/// <summary>A 404 from the Docker Engine: no such container, image, network or volume.</summary>
public sealed class DockerNotFoundException(string operation, string body)
    : DockerApiException(HttpStatusCode.NotFound, operation, body);
