namespace DevEnv.Hosting.Model;

/// <summary>Names of the commands resources offer; shared by console, dashboard and CLI.</summary>
public static class CommandNames
{
    /// <summary>Rebuild the image and roll it out.</summary>
    public const string RebuildAndDeploy = "rebuild-deploy";
    /// <summary>In fast mode: build the trimmed (shipping) image once and roll it out.</summary>
    public const string RebuildTrimmedAndDeploy = "rebuild-trimmed-deploy";
    /// <summary>Restart the Deployment's rollout (kubectl rollout restart).</summary>
    public const string RestartRollout = "restart-rollout";
    /// <summary>Scale the Deployment; takes an argument "replicas".</summary>
    public const string Scale = "scale";
    /// <summary>Start a stopped resource.</summary>
    public const string Start = "start";
    /// <summary>Stop a running resource.</summary>
    public const string Stop = "stop";
    /// <summary>Tear the whole environment down.</summary>
    public const string TearDown = "tear-down";
    /// <summary>Restart the rollout under load and report the requests.</summary>
    public const string VerifyRollout = "verify-rollout";
}
