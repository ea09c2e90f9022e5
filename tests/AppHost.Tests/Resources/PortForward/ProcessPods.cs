using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DevEnv.Hosting.Clients.Kubernetes;
using k8s;
using k8s.Models;

namespace DevEnv.AppHost.Tests.Resources.PortForward;

/// <summary>
/// The API server's part of a port-forward, for pods that are real SampleApi processes on loopback: the list and the
/// watch say what the test told them (as the API server would during a rollout), and a port-forward to a pod is a real
/// TCP connection to its process. A pod it was not told about, a namespace or selector other than the one given, or a
/// Service read fail the call.
/// </summary>
internal sealed class ProcessPods(string @namespace, string selector) : IPortForwardApi
{
    private readonly ConcurrentDictionary<string, (V1Pod Pod, int Port)> _pods = new(StringComparer.Ordinal);
    private readonly Channel<(WatchEventType, V1Pod)> _events = Channel.CreateUnbounded<(WatchEventType, V1Pod)>();
    private int _version = 1;

    /// <summary>Port-forwards opened, by pod.</summary>
    public ConcurrentDictionary<string, int> Opened { get; } = new(StringComparer.Ordinal);

    /// <summary>A ready pod served by the process listening on <paramref name="port"/>; announced to a running watch.</summary>
    public void Ready(string name, int port, DateTime created)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace, CreationTimestamp = created, ResourceVersion = Next() },
            Status = new V1PodStatus { Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] },
        };
        var added = _pods.TryAdd(name, (pod, port));
        _events.Writer.TryWrite((added ? WatchEventType.Added : WatchEventType.Modified, pod));
    }

    /// <summary>The pod is being deleted (the kubelet sends its process SIGTERM at the same time).</summary>
    public void Terminating(string name)
    {
        var (pod, port) = _pods[name];
        pod.Metadata.DeletionTimestamp = DateTime.UtcNow;
        pod.Metadata.ResourceVersion = Next();
        _pods[name] = (pod, port);
        _events.Writer.TryWrite((WatchEventType.Modified, pod));
    }

    /// <summary>The pod is gone.</summary>
    public void Deleted(string name)
    {
        if (_pods.TryRemove(name, out var entry))
        {
            _events.Writer.TryWrite((WatchEventType.Deleted, entry.Pod));
        }
    }

    public Task<V1Service> ReadServiceAsync(string ns, string name, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"the test's API server was not told about service {ns}/{name}");

    public Task<V1PodList> ListPodsAsync(string ns, string labelSelector, CancellationToken cancellationToken)
    {
        Expect(ns, labelSelector);
        return Task.FromResult(new V1PodList { Metadata = new V1ListMeta { ResourceVersion = Next() }, Items = [.. _pods.Values.Select(p => p.Pod)] });
    }

    public async IAsyncEnumerable<(WatchEventType Type, V1Pod Pod)> WatchPodsAsync(string ns, string labelSelector, string? resourceVersion,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Expect(ns, labelSelector);
        while (await _events.Reader.WaitToReadAsync(cancellationToken))
        {
            while (_events.Reader.TryRead(out var change))
            {
                yield return change;
            }
        }
    }

    public async Task<Stream> OpenAsync(string ns, string pod, int port, CancellationToken cancellationToken)
    {
        Expect(ns, selector);
        if (!_pods.TryGetValue(pod, out var entry))
        {
            throw new KubernetesApiException($"pods \"{pod}\" not found");
        }

        Opened.AddOrUpdate(pod, 1, (_, n) => n + 1);
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", entry.Port, cancellationToken);
        return new NetworkStreamOwner(client);
    }

    private void Expect(string ns, string labelSelector)
    {
        if (ns != @namespace || labelSelector != selector)
        {
            throw new InvalidOperationException($"the test's API server was told about {@namespace} {selector}, not {ns} {labelSelector}");
        }
    }

    private string Next() => Interlocked.Increment(ref _version).ToString(System.Globalization.CultureInfo.InvariantCulture);

    // The stream of one connection, which closes its socket with it.
    private sealed class NetworkStreamOwner(TcpClient client) : Stream
    {
        private readonly NetworkStream _stream = client.GetStream();
        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => _stream.Flush();
        public override int Read(byte[] buffer, int offset, int count) => _stream.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _stream.ReadAsync(buffer, cancellationToken);
        public override void Write(byte[] buffer, int offset, int count) => _stream.Write(buffer, offset, count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _stream.WriteAsync(buffer, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                client.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
