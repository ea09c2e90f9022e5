namespace DevEnv.Hosting.AppModel;

/// <summary>A value of the app model evaluated for the cluster: its text and whether a secret went into it.</summary>
/// <param name="Text">The value as the pod sees it.</param>
/// <param name="IsSecret">Whether a secret parameter (or a generated password) contributed to it.</param>
public sealed record ResolvedValue(string Text, bool IsSecret = false);
