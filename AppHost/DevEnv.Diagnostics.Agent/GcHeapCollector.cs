using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace DevEnv.Diagnostics.Agent;

/// <summary>
/// A GC heap snapshot the way dotnet-gcdump takes one: an EventPipe session with the runtime's heap-snapshot keywords
/// makes the runtime run a full blocking GC and describe every object and root it walks (bulk node, edge, root and type
/// events). The session's .nettrace stream is copied to the output as it comes while TraceEvent reads the same bytes to
/// see that GC end; then the session stops. Turning those events into a .gcdump graph is dotnet-gcdump's own code
/// (<c>dotnet-gcdump convert</c>), run on the host, so no heap graph is built in the pod.
/// </summary>
public static class GcHeapCollector
{
    /// <summary>How long the induced GC may take to be described (dotnet-gcdump's own default is 30 s).</summary>
    public static TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The providers of a heap snapshot: the runtime's GC, heap-collect, heap-dump and type-name events.</summary>
    public static IReadOnlyList<EventPipeProvider> Providers { get; } =
    [
        new("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, (long)ClrTraceEventParser.Keywords.GCHeapSnapshot),
    ];

    /// <summary>Snapshots <paramref name="target"/>'s heap into <paramref name="output"/> (a .nettrace of heap events); returns the bytes written.</summary>
    public static async Task<long> CollectAsync(TargetProcess target, Stream output, TextWriter log, CancellationToken cancellationToken)
    {
        var client = new DiagnosticsClient(target.Pid);
        using var session = await client.StartEventPipeSessionAsync(
            new EventPipeSessionConfiguration(Providers, circularBufferSizeMB: 1024, requestRundown: true, requestStackwalk: false),
            cancellationToken).ConfigureAwait(false);
        await log.WriteLineAsync($"snapshotting the GC heap of process {target.Pid} ({target.CommandLine})").ConfigureAwait(false);

        var copy = new CopyingStream(session.EventStream, output);
        var heap = new HeapWalk(target.Pid);
        using var source = new EventPipeEventSource(copy);
        heap.Attach(source);
        // TraceEvent reads synchronously; every byte it reads is written to the output first.
        var reader = Task.Run(() =>
        {
            try
            {
                source.Process();
            }
            catch (Exception ex) when (ex is IOException or EndOfStreamException)
            {
                // The socket was reset: the process went away; the caller says so.
            }
        }, CancellationToken.None);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        var ended = await Task.WhenAny(heap.Complete, reader, Task.Delay(System.Threading.Timeout.Infinite, deadline.Token)).ConfigureAwait(false);
        if (ended == reader)
        {
            throw new TargetGoneException($"process {target.Pid} ended during the heap snapshot ({copy.Written} bytes written, incomplete)");
        }

        if (ended != heap.Complete)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException($"the runtime did not finish describing its heap within {Timeout.TotalSeconds:0} s ({heap.Nodes} objects so far)");
        }

        await log.WriteLineAsync($"heap walked: {heap.Nodes} objects; closing the session").ConfigureAwait(false);
        try
        {
            await session.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or IOException && !target.IsRunning)
        {
            throw new TargetGoneException($"process {target.Pid} ended as the heap snapshot was being closed (incomplete)");
        }

        await reader.WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return copy.Written;
    }

    // Which GC is the snapshot's (the first full, non-background one after the session starts: the one the keywords induce)
    // and when it ends.
    private sealed class HeapWalk(int pid)
    {
        private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _gc = -1;
        private long _nodes;

        public Task Complete => _complete.Task;

        public long Nodes => Interlocked.Read(ref _nodes);

        public void Attach(EventPipeEventSource source)
        {
            source.Clr.GCStart += data =>
            {
                if (data.ProcessID == pid && _gc < 0 && data.Depth == 2 && data.Type != GCType.BackgroundGC)
                {
                    _gc = data.Count;
                }
            };
            source.Clr.GCBulkNode += data => Interlocked.Add(ref _nodes, data.Count);
            source.Clr.GCStop += data =>
            {
                if (data.ProcessID == pid && _gc >= 0 && data.Count == _gc)
                {
                    _complete.TrySetResult();
                }
            };
        }
    }
}
