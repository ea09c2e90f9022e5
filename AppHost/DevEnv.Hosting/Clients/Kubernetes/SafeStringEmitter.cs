using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;

namespace DevEnv.Hosting.Clients.Kubernetes;

/// <summary>
/// Quotes every string a YAML 1.1 reader could take for something else. KubernetesYaml's own emitter quotes what
/// YAML 1.2 would misread ("8080", "yes"), but leaves "00:00:05" plain, which YAML 1.1 readers take for the
/// base-60 number 5. Anything not obviously a word gets double quotes; multi-line text is a literal block.
/// </summary>
public sealed partial class SafeStringEmitter(IEventEmitter next) : ChainedEventEmitter(next)
{
    /// <inheritdoc />
    public override void Emit(ScalarEventInfo eventInfo, IEmitter emitter)
    {
        if (eventInfo.Source.Type == typeof(string) && eventInfo.Source.Value is string text)
        {
            eventInfo.Style = text.Contains('\n') ? ScalarStyle.Literal
                : IsPlainSafe(text) ? ScalarStyle.Plain
                : ScalarStyle.DoubleQuoted;
        }

        base.Emit(eventInfo, emitter);
    }

    /// <summary>
    /// Whether a string can be written unquoted and still read back as the same string by YAML 1.1 and 1.2
    /// readers. Deliberately conservative: "100m" would be fine but is cheap to quote.
    /// </summary>
    public static bool IsPlainSafe(string value) =>
        PlainWord().IsMatch(value) && !ReservedWord().IsMatch(value);

    [GeneratedRegex("^[A-Za-z/][A-Za-z0-9_./-]*$")]
    private static partial Regex PlainWord();

    [GeneratedRegex("^(y|n|yes|no|on|off|true|false|null)$", RegexOptions.IgnoreCase)]
    private static partial Regex ReservedWord();
}
