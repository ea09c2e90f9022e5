using DevEnv.Hosting.Resources.Deployment;

namespace DevEnv.Hosting.AppModel;

/// <summary>A resource's environment and arguments, evaluated for the cluster.</summary>
/// <param name="Variables">Its environment variables in the order Aspire's callbacks produced them.</param>
/// <param name="Args">Its arguments as the container gets them (a secret one as a <c>$(VAR)</c> reference to the Secret).</param>
/// <param name="Notes">What was left out and why, one line each, for the resource's log.</param>
public sealed record WorkloadEnvironment(IReadOnlyList<WorkloadVariable> Variables, IReadOnlyList<string> Args, IReadOnlyList<string> Notes)
{
    /// <summary>Nothing: no variables, no arguments.</summary>
    public static WorkloadEnvironment Empty { get; } = new([], [], []);
}
