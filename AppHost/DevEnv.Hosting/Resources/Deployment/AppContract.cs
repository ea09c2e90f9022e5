namespace DevEnv.Hosting.Resources.Deployment;

/// <summary>
/// What the Deployment assumes about SampleApi (and ServiceDefaults): its port, the management port with the probe
/// paths, the pre-stop and liveness subcommands and the shutdown settings. One place, so aligning with the app is one edit.
/// </summary>
public static class AppContract
{
    /// <summary>The HTTP port; SDK container publishing sets ASPNETCORE_HTTP_PORTS=8080, we set it explicitly too.</summary>
    public const int HttpPort = 8080;

    /// <summary>Name of the container port, used by probes and the Service's targetPort.</summary>
    public const string HttpPortName = "http";

    /// <summary>
    /// The management port (ServiceDefaults' Probe:Port, default 8081): the HTTP probes answer here and only here.
    /// The Service does not expose it, so nothing a client sends can reach the probes.
    /// </summary>
    public const int ManagementPort = 8081;

    /// <summary>Name of the management container port, used by the HTTP probes.</summary>
    public const string ManagementPortName = "management";

    /// <summary>Configuration key of the management port.</summary>
    public const string ManagementPortVariable = "Probe__Port";

    /// <summary>Answers 200 once start-up work is done.</summary>
    public const string StartupPath = "/healthz/startup";

    /// <summary>Answers 200 while the process's heartbeat ticks and its liveness checks pass (the liveness probe).</summary>
    public const string LivenessPath = "/healthz/live";

    /// <summary>Answers 200 while the pod should receive traffic; 503 once draining.</summary>
    public const string ReadinessPath = "/healthz/ready";

    /// <summary>SDK container publishing puts the app in /app with the entrypoint /app/&lt;AssemblyName&gt;.</summary>
    public const string Executable = "/app/SampleApi";

    /// <summary>
    /// The preStop hook, exec only (no HTTP endpoint changes state): the app turns readiness off, waits
    /// <see cref="DrainDelay"/> so endpoints and kube-proxy stop sending it traffic, then the command returns.
    /// On the SIGTERM that follows it does not wait again.
    /// </summary>
    public static readonly IReadOnlyList<string> PreStopCommand = [Executable, "prestop"];

    /// <summary>The non-root user of the .NET chiseled images ("app").</summary>
    public const long UserId = 1654;

    /// <summary>Configuration key of the drain delay (ServiceDefaults' ShutdownOptions.DrainDelay).</summary>
    public const string DrainDelayVariable = "Shutdown__DrainDelay";

    /// <summary>Configuration key of the shutdown timeout (ServiceDefaults' ShutdownOptions.Timeout).</summary>
    public const string ShutdownTimeoutVariable = "Shutdown__Timeout";

    /// <summary>How long a terminating pod keeps serving after readiness turns off: endpoint propagation.</summary>
    public static readonly TimeSpan DrainDelay = TimeSpan.FromSeconds(5);

    /// <summary>How long in-flight requests get to finish after SIGTERM.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Slack between the app's own deadline and the kubelet's SIGKILL.</summary>
    public static readonly TimeSpan KillMargin = TimeSpan.FromSeconds(5);

    /// <summary>terminationGracePeriodSeconds: drain + shutdown + margin (25 s with the defaults).</summary>
    public static int TerminationGracePeriodSeconds => (int)Math.Ceiling((DrainDelay + ShutdownTimeout + KillMargin).TotalSeconds);

    /// <summary>A TimeSpan as .NET configuration binds it: "00:00:05".</summary>
    public static string ConfigValue(TimeSpan value) => value.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
}
