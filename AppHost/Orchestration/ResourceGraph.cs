using DevEnv.AppHost.Model;

namespace DevEnv.AppHost.Orchestration;

/// <summary>
/// The dependency graph of the environment's resources: a start order (dependencies first, ties kept in
/// the order they were added), and the closures the verbs need (a resource with what it needs, or with
/// everything that needs it).
/// </summary>
public sealed class ResourceGraph
{
    private readonly Dictionary<Resource, int> _index;

    /// <summary>Orders <paramref name="resources"/>; throws when a dependency was not added or when they form a cycle.</summary>
    public ResourceGraph(IReadOnlyList<Resource> resources)
    {
        foreach (var resource in resources)
        {
            foreach (var dependency in resource.Dependencies)
            {
                if (!resources.Contains(dependency))
                {
                    throw new InvalidOperationException(
                        $"Resource '{resource.Name}' depends on '{dependency.Name}', which was not added to the environment (call AddResource or its Add* method).");
                }
            }
        }

        Ordered = TopologicalOrder(resources);
        _index = Ordered.Select((r, i) => (r, i)).ToDictionary(p => p.r, p => p.i);
    }

    /// <summary>Every resource, dependencies before dependents.</summary>
    public IReadOnlyList<Resource> Ordered { get; }

    /// <summary>The resource with that name, or null.</summary>
    public Resource? Find(string name) => Ordered.FirstOrDefault(r => r.Name == name);

    /// <summary>Resources that depend directly on <paramref name="resource"/>.</summary>
    public IEnumerable<Resource> DirectDependents(Resource resource) => Ordered.Where(r => r.Dependencies.Contains(resource));

    /// <summary>The given resources plus everything they need, transitively, in start order.</summary>
    public IReadOnlyList<Resource> WithDependencies(IEnumerable<Resource> targets)
    {
        var set = new HashSet<Resource>();
        var stack = new Stack<Resource>(targets);
        while (stack.TryPop(out var r))
        {
            if (set.Add(r))
            {
                foreach (var d in r.Dependencies)
                {
                    stack.Push(d);
                }
            }
        }

        return Ordered.Where(set.Contains).ToArray();
    }

    /// <summary><paramref name="resource"/> plus everything that needs it, transitively, in start order.</summary>
    public IReadOnlyList<Resource> WithDependents(Resource resource)
    {
        var set = new HashSet<Resource> { resource };
        foreach (var r in Ordered)
        {
            if (r.Dependencies.Any(set.Contains))
            {
                set.Add(r);
            }
        }

        return Ordered.Where(set.Contains).ToArray();
    }

    /// <summary>Position in start order, for sorting.</summary>
    public int IndexOf(Resource resource) => _index[resource];

    private static Resource[] TopologicalOrder(IReadOnlyList<Resource> resources)
    {
        // Kahn's algorithm, always taking the earliest-added ready resource so the order is stable and readable.
        var remaining = resources.ToList();
        var done = new HashSet<Resource>();
        var ordered = new List<Resource>(resources.Count);
        while (remaining.Count > 0)
        {
            var next = remaining.FirstOrDefault(r => r.Dependencies.All(done.Contains));
            if (next is null)
            {
                var names = string.Join(", ", remaining.Select(r => r.Name));
                throw new InvalidOperationException($"The resources {names} depend on each other in a cycle; remove one of the DependsOn calls.");
            }

            remaining.Remove(next);
            done.Add(next);
            ordered.Add(next);
        }

        return [.. ordered];
    }
}
