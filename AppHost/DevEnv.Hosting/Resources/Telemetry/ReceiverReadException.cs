namespace DevEnv.Hosting.Resources.Telemetry;

/// <summary>The receiver or the dashboard answered a read or a delivery with an error; the message is one line for the user.</summary>
public sealed class ReceiverReadException(string message) : Exception(message);
