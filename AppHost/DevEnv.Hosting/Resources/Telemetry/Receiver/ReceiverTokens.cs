using System.Security.Cryptography;
using DevEnv.Hosting.Resources.Cluster;

namespace DevEnv.Hosting.Resources.Telemetry.Receiver;

/// <summary>
/// The two tokens of the in-cluster receiver: the one the pods send with their telemetry (ingest) and the one the
/// AppHost reads the buffer with (read). Made once per environment and kept in its state folder, mode 600 from the first
/// byte, so a restart of the AppHost finds the pods' Secret unchanged (no rollout for a new token). Never logged.
/// </summary>
/// <param name="Ingest">What the pods present (OTEL_EXPORTER_OTLP_HEADERS, from the Secret).</param>
/// <param name="Read">What the AppHost presents on the read port.</param>
public sealed record ReceiverTokens(string Ingest, string Read)
{
    /// <summary>The file in the state folder.</summary>
    public const string FileName = "telemetry-receiver.tokens";

    /// <summary>The tokens kept in <paramref name="stateDirectory"/>, made (and written 0600) when there are none or the file is unreadable as such.</summary>
    public static async Task<ReceiverTokens> LoadOrCreateAsync(string stateDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(stateDirectory, FileName);
        if (File.Exists(path))
        {
            var lines = (await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false)).Select(l => l.Split('=', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
            if (lines.TryGetValue("ingest", out var ingest) && lines.TryGetValue("read", out var read) && IsToken(ingest) && IsToken(read))
            {
                return new ReceiverTokens(ingest, read);
            }
        }

        // Two tokens, not one: a pod that can send must not be able to read what the others sent.
        var tokens = new ReceiverTokens(NewToken(), NewToken());
        await PrivateFile.WriteAsync(path, $"ingest={tokens.Ingest}\nread={tokens.Read}\n", cancellationToken).ConfigureAwait(false);
        return tokens;
    }

    /// <summary>Hides the values from a record's printout (a log line, an exception message).</summary>
    public override string ToString() => "ReceiverTokens { REDACTED }";

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static bool IsToken(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);
}
