namespace DevEnv.AppHost.Model;

/// <summary>A log writer bound to one resource. Passed to clients so process output lands in the right log.</summary>
public sealed class ResourceLog
{
    private readonly ResourceLogService? _service;

    internal ResourceLog(ResourceLogService service, string resource)
    {
        _service = service;
        Resource = resource;
    }

    private ResourceLog()
    {
        Resource = "";
    }

    /// <summary>A log that discards everything, for callers that do not care.</summary>
    public static ResourceLog None { get; } = new();

    /// <summary>The resource the lines belong to.</summary>
    public string Resource { get; }

    /// <summary>Writes an informational line.</summary>
    public void Info(string text) => _service?.Write(Resource, text);

    /// <summary>Writes an error line.</summary>
    public void Error(string text) => _service?.Write(Resource, text, isError: true);
}
