using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Resources.Deployment;

namespace DevEnv.Hosting.AppModel;

/// <summary>
/// Completes a resource's <see cref="Workload"/> from the app model each time it is rendered or applied: its ports and
/// node ports, its environment and arguments evaluated for the cluster (parameters read now, so a changed value rolls
/// out), the container's entrypoint, its data volumes and declared probes, and the shape that decides its probes.
/// </summary>
/// <param name="resource">The project or container resource.</param>
/// <param name="addresses">Every workload's Service.</param>
/// <param name="facts">What its project file says (projects only).</param>
/// <param name="services">The application's services, for callbacks that ask for them.</param>
public sealed class WorkloadPlanner(IResource resource, ClusterAddressBook addresses, ProjectFacts? facts, Func<IServiceProvider?> services)
{
    /// <summary>The shape of the workload: by the project's contract, or a container.</summary>
    public WorkloadShape Shape { get; } = resource is ProjectResource
        ? facts?.FollowsContract == true ? WorkloadShape.ContractApp : WorkloadShape.PlainApp
        : WorkloadShape.Container;

    /// <summary>What the last evaluation left out, one line each (variables that name an endpoint the cluster leaves out).</summary>
    public IReadOnlyList<string> Notes { get; private set; } = [];

    /// <summary>The workload's ports as the Service exposes them.</summary>
    public IReadOnlyList<WorkloadPort> Ports => addresses[resource].Ports;

    /// <summary><paramref name="basis"/> (names, image, replicas, target) completed from the model.</summary>
    public async Task<Workload> CompleteAsync(Workload basis, CancellationToken cancellationToken)
    {
        var environment = await WorkloadEnvironmentReader.ReadAsync(resource, addresses.All, services(), cancellationToken).ConfigureAwait(false);
        Notes = [.. addresses.NotesFor(resource), .. environment.Notes, .. ShapeNotes()];
        return basis with
        {
            Shape = Shape,
            Executable = facts is null ? basis.Executable : $"/app/{facts.AssemblyName}",
            Ports = Ports,
            Variables = environment.Variables,
            Args = environment.Args,
            Command = resource is ContainerResource { Entrypoint: { Length: > 0 } entrypoint } ? [entrypoint] : null,
            Volumes = Volumes(),
            Probes = Probes(),
            // Aspire gives OTLP settings to what exports telemetry (every project; a container that asks).
            Telemetry = resource.Annotations.OfType<OtlpExporterAnnotation>().Any() ? basis.Telemetry : null,
        };
    }

    // A project without ServiceDefaults' app contract runs, with less: say what, once per rollout, in its log.
    private IEnumerable<string> ShapeNotes()
    {
        if (Shape == WorkloadShape.PlainApp)
        {
            yield return $"{resource.Name} does not reference ServiceDefaults (no `probe`/`prestop` subcommands): its pods get TCP probes on its endpoint " +
                "and a 5 s pre-stop sleep instead of the management-port probes and the drain, so a rollout can fail in-flight requests on keep-alive connections.";
        }
    }

    private IReadOnlyList<WorkloadVolume> Volumes()
    {
        if (!resource.TryGetContainerMounts(out var mounts))
        {
            return [];
        }

        var volumes = new List<WorkloadVolume>();
        foreach (var mount in mounts.Where(m => m.Type == ContainerMountType.Volume))
        {
            // The claim is named after the resource and the mount (a volume name of Aspire's carries the AppHost's hash).
            var suffix = new string([.. mount.Target.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
            var name = $"{resource.Name.ToLowerInvariant()}-{(suffix.Length == 0 ? "data" : suffix)}";
            volumes.Add(new WorkloadVolume(name.Length > 63 ? name[..63].TrimEnd('-') : name, mount.Target, mount.IsReadOnly));
        }

        return volumes;
    }

#pragma warning disable ASPIREPROBES001 // Aspire's probe annotations are experimental; reading them is all DevEnv does.
    private IReadOnlyList<WorkloadProbe> Probes() =>
    [
        .. resource.Annotations.OfType<EndpointProbeAnnotation>()
            .Select(p => (Probe: p, Port: addresses[resource].Port(p.EndpointReference.EndpointName)))
            .Where(p => p.Port is not null)
            .Select(p => new WorkloadProbe(p.Probe.Type.ToString().ToLowerInvariant(), p.Probe.Path, p.Port!.Name, p.Probe.PeriodSeconds, p.Probe.FailureThreshold)),
    ];
#pragma warning restore ASPIREPROBES001
}
