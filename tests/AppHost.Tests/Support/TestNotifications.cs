using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;

namespace DevEnv.AppHost.Tests.Support;

/// <summary>Aspire's real <see cref="ResourceNotificationService"/>, with the reads tests make of it.</summary>
public sealed class TestNotifications
{
    private readonly ConcurrentDictionary<string, IResource> _resources = new(StringComparer.Ordinal);

    /// <summary>Aspire's console logs of every resource, as the AppHost has them (for the children a resource publishes).</summary>
    public ResourceLoggerService Loggers { get; } = new();

    /// <summary>Aspire's notification service, as the AppHost has it.</summary>
    public ResourceNotificationService Service => _service ??= new(
        NullLogger<ResourceNotificationService>.Instance,
        new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance),
        new ServiceCollection().BuildServiceProvider(),
        Loggers);

    private ResourceNotificationService? _service;

    /// <summary>What contexts made by <see cref="Context"/> logged.</summary>
    public TestLogs Logs { get; } = new();

    /// <summary>A context for a resource named <paramref name="name"/>, reporting here (and its log to <paramref name="logs"/>, else <see cref="Logs"/>).</summary>
    public ResourceContext Context(string name, TestLogs? logs = null) =>
        // Aspire's service requires one resource instance per name.
        new(_resources.GetOrAdd(name, n => new NamedResource(n)), Service, (logs ?? Logs).Logger(name)) { Loggers = Loggers };

    /// <summary>The current snapshot of <paramref name="resource"/>.</summary>
    public TestSnapshot Get(string resource) => Read(Service, resource);

    /// <summary>Waits for a snapshot of <paramref name="resource"/> that matches.</summary>
    public async Task<TestSnapshot> WaitForAsync(string resource, Func<TestSnapshot, bool> predicate, CancellationToken cancellationToken)
    {
        var e = await Service.WaitForResourceAsync(resource, e => predicate(From(resource, e.Snapshot)), cancellationToken).ConfigureAwait(false);
        return From(resource, e.Snapshot);
    }

    /// <summary>Every update, as it is published.</summary>
    public async IAsyncEnumerable<TestSnapshot> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in Service.WatchAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return From(e.Resource.Name, e.Snapshot);
        }
    }

    /// <summary>The current snapshot of <paramref name="resource"/> in <paramref name="service"/>.</summary>
    public static TestSnapshot Read(ResourceNotificationService service, string resource) =>
        service.TryGetCurrentState(resource, out var e) ? From(resource, e.Snapshot) : new TestSnapshot(resource, null, null, new Dictionary<string, string>(), []);

    private static TestSnapshot From(string name, CustomResourceSnapshot snapshot) => new(
        name,
        snapshot.State?.Text,
        snapshot.Property(ResourceContext.ReasonProperty),
        snapshot.Properties.Where(p => p.Value is not null).GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.Last().Value!.ToString()!, StringComparer.Ordinal),
        [.. snapshot.Urls.Select(u => new TestUrl(u.Name ?? "", u.Url))]);

    private sealed class NamedResource(string name) : Resource(name);
}
