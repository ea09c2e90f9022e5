using DevEnv.Hosting.Resources.Deployment;

namespace DevEnv.Hosting.Application;

/// <summary>
/// What DevEnv made of the app model: each project's build-and-roll-out pipeline, filled once the model is complete
/// (<see cref="AppModel.ClusterWorkloads"/>). One per application; the watcher and the verbs read it.
/// </summary>
/// <param name="builder">The AppHost's builder, whose model is expanded.</param>
public sealed class WorkloadCatalog(Aspire.Hosting.IDistributedApplicationBuilder builder)
{
    private readonly List<ProjectPipeline> _pipelines = [];

    /// <summary>Whether the model has been expanded (it is, once).</summary>
    public bool Expanded { get; set; }

    /// <summary>Expands the model unless that happened already (<see cref="AppModel.ClusterWorkloads.Expand"/>).</summary>
    public void EnsureExpanded(Func<IServiceProvider?> services) => AppModel.ClusterWorkloads.Expand(builder, services);

    /// <summary>Each project's pipeline, in the model's order.</summary>
    public IReadOnlyList<ProjectPipeline> Pipelines
    {
        get
        {
            lock (_pipelines)
            {
                return [.. _pipelines];
            }
        }
    }

    /// <summary>Adds a project's pipeline.</summary>
    public void Add(ProjectPipeline pipeline)
    {
        lock (_pipelines)
        {
            _pipelines.Add(pipeline);
        }
    }
}
