namespace DevEnv.Hosting.Resources.Deployment;

/// <summary>What a workload's pods can be asked to do, which decides its probes and pre-stop hook.</summary>
public enum WorkloadShape
{
    /// <summary>A project on DevEnv's app contract (ServiceDefaults): management-port probes, exec pre-stop that drains.</summary>
    ContractApp,

    /// <summary>A project without it: probes on its own endpoint (TCP, or HTTP where the model declares a probe), a pre-stop sleep.</summary>
    PlainApp,

    /// <summary>A container image of someone else's: its own entrypoint, TCP readiness on its first endpoint.</summary>
    Container,
}
