using System.Collections.Concurrent;
using DevEnv.AppHost.Model;

namespace DevEnv.AppHost.Tests.Model;

/// <summary>
/// A resource for orchestration, dashboard and CLI tests: records what was called in a shared journal and runs
/// whatever <see cref="OnStart"/> says (by default it starts at once), so tests await conditions, never time.
/// </summary>
public sealed class FakeResource(string name, ConcurrentQueue<string>? journal = null, string kind = "Fake") : Resource(name), IManifestSource, IStatusProbe, IPurgeable
{
    private int _starts;

    public override string Kind { get; } = kind;

    public ConcurrentQueue<string> Journal { get; } = journal ?? new();

    /// <summary>What a start does; throw to fail it.</summary>
    public Func<ResourceContext, CancellationToken, Task> OnStart { get; set; } = (_, _) => Task.CompletedTask;

    /// <summary>What a stop does.</summary>
    public Func<ResourceContext, CancellationToken, Task> OnStop { get; set; } = (_, _) => Task.CompletedTask;

    /// <summary>Extra commands to offer.</summary>
    public List<ResourceCommand> Commands { get; } = [];

    /// <summary>Documents for the manifests verb; none means "render nothing".</summary>
    public List<string> Manifests { get; } = [];

    public int Starts => Volatile.Read(ref _starts);

    public override async Task StartAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _starts);
        Journal.Enqueue($"start:{Name}");
        try
        {
            await OnStart(context, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Journal.Enqueue($"cancelled:{Name}");
            throw;
        }

        Journal.Enqueue($"started:{Name}");
    }

    public override async Task StopAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        Journal.Enqueue($"stop:{Name}");
        await OnStop(context, cancellationToken);
    }

    public override Task DestroyAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        Journal.Enqueue($"destroy:{Name}");
        return Task.CompletedTask;
    }

    public Task PurgeAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        Journal.Enqueue($"purge:{Name}");
        return Task.CompletedTask;
    }

    public Task ProbeAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        Journal.Enqueue($"probe:{Name}");
        context.SetState(ResourceStates.Stopped, "not created");
        return Task.CompletedTask;
    }

    public override IReadOnlyList<ResourceCommand> GetCommands(ResourceContext context) => Commands;

    public IReadOnlyList<string> RenderManifests() => Manifests;
}
