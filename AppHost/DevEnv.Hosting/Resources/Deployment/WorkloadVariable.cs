namespace DevEnv.Hosting.Resources.Deployment;

/// <summary>
/// An environment variable of a workload: a plain value goes into the Deployment, a secret one (a secret parameter, a
/// generated password, a connection string holding one) into the workload's Secret, referenced by <c>secretKeyRef</c>.
/// </summary>
/// <param name="Name">The variable's name.</param>
/// <param name="Value">Its value (for a secret: the value applied to the Secret, never rendered).</param>
/// <param name="IsSecret">Whether it goes through the Secret.</param>
public sealed record WorkloadVariable(string Name, string Value, bool IsSecret = false)
{
    /// <inheritdoc />
    public override string ToString() => IsSecret ? $"{Name}=(secret)" : $"{Name}={Value}";
}
