namespace DevEnv.Hosting.AppModel;

/// <summary>A value of the app model that has no meaning in the cluster (a reference to something that runs on this machine only).</summary>
/// <param name="message">What it is and what to do.</param>
public sealed class UnsupportedValueException(string message) : InvalidOperationException(message);
