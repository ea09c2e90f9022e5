namespace DevEnv.Hosting.AppModel;

/// <summary>
/// The value refers to something the cluster leaves out on purpose (a project's https endpoint: TLS does not run inside
/// the cluster), so the variable or argument that holds it is left out too; clients fall back to the http endpoint.
/// </summary>
/// <param name="reason">Why it is left out, for the log.</param>
public sealed class DroppedValueException(string reason) : Exception(reason);
