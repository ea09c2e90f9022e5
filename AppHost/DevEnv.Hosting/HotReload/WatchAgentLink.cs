using System.IO.Pipes;
using System.Reflection;
using System.Reflection.Metadata;

namespace DevEnv.Hosting.HotReload;

/// <summary>
/// DevEnv standing in for the app's agent at dotnet-watch's end: dotnet-watch compiles each save into Hot Reload deltas
/// (the SDK's own compiler service, rude-edit analysis included) and sends them down its named pipe to "the app", which
/// here is DevEnv: every update is handed to <paramref name="apply"/> (the pods) and its combined answer goes back, so
/// dotnet-watch's log and its rude-edit restart work as they do for a local process.
/// </summary>
public sealed class WatchAgentLink(string pipeName, Func<CodeUpdate, CancellationToken, Task<AgentReply>> apply)
{
    /// <summary>The update capabilities of this runtime (the pods run the same .NET major version), as the agent reports them.</summary>
    public static string RuntimeCapabilities() =>
        typeof(MetadataUpdater).GetMethod("GetCapabilities", BindingFlags.NonPublic | BindingFlags.Static, Type.EmptyTypes)?.Invoke(null, null) as string
        ?? "Baseline";

    /// <summary>Connects to dotnet-watch's pipe and serves its requests until it closes the pipe (a restart, or the end).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var pipe = new NamedPipeClientStream(".", pipeName, PipeDirection.InOut, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
        await pipe.ConnectAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        using (var init = new MemoryStream())
        {
            init.WriteByte(AgentMessageType.InitializationResponse);
            init.WriteByte(0);
            AgentWire.WriteString(init, RuntimeCapabilities());
            await pipe.WriteAsync(init.ToArray(), cancellationToken).ConfigureAwait(false);
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            var buffer = new byte[1];
            if (await pipe.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) == 0)
            {
                return;
            }

            switch (buffer[0])
            {
                case AgentMessageType.SetEnvironmentVariables:
                    // Meant for a local process's environment; the pods get theirs from the Deployment.
                    var count = await AgentWire.ReadInt32Async(pipe, cancellationToken).ConfigureAwait(false);
                    for (var i = 0; i < count * 2; i++)
                    {
                        await AgentWire.ReadStringAsync(pipe, cancellationToken).ConfigureAwait(false);
                    }

                    await pipe.WriteAsync(new[] { AgentMessageType.EnvironmentVariablesSet }, cancellationToken).ConfigureAwait(false);
                    break;
                case AgentMessageType.ManagedCodeUpdate:
                    var update = await CodeUpdate.ReadAsync(pipe, cancellationToken).ConfigureAwait(false);
                    var reply = await apply(update, cancellationToken).ConfigureAwait(false);
                    await pipe.WriteAsync(reply.ToMessage(), cancellationToken).ConfigureAwait(false);
                    break;
                case AgentMessageType.StaticAssetUpdate:
                    // wwwroot files are not hot-swapped into pods (yet): read past it and say it is done.
                    await AgentWire.ReadByteAsync(pipe, cancellationToken).ConfigureAwait(false);
                    await AgentWire.ReadStringAsync(pipe, cancellationToken).ConfigureAwait(false);
                    await AgentWire.ReadByteAsync(pipe, cancellationToken).ConfigureAwait(false);
                    await AgentWire.ReadStringAsync(pipe, cancellationToken).ConfigureAwait(false);
                    await AgentWire.ReadByteArrayAsync(pipe, cancellationToken).ConfigureAwait(false);
                    await AgentWire.ReadByteAsync(pipe, cancellationToken).ConfigureAwait(false);
                    await pipe.WriteAsync(new AgentReply(true, []).ToMessage(), cancellationToken).ConfigureAwait(false);
                    break;
                case AgentMessageType.InitialUpdatesCompleted:
                    break;
                case var other:
                    throw new InvalidDataException($"dotnet-watch sent message type {other}, which DevEnv does not know (a newer SDK?)");
            }

            await pipe.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
