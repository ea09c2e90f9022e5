using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;
using YamlDotNet.Serialization.NamingConventions;

namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>
/// Turns typed objects (Kubernetes manifests, the kind config) into YAML: camelCase field names in
/// declaration order, nulls omitted, no anchors, strings quoted whenever a YAML 1.1 reader (kubectl, kind)
/// could take them for something else. Pure: the same object graph gives the same bytes.
/// </summary>
public static partial class ManifestYaml
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .DisableAliases()
        .WithEventEmitter(next => new SafeStringEmitter(next))
        .WithNewLine("\n")
        .Build();

    /// <summary>One YAML document, without the leading "---", ending in a newline.</summary>
    public static string Serialize(object document) => Serializer.Serialize(document);

    /// <summary>Joins documents into one multi-document stream (each introduced by "---").</summary>
    public static string Join(IEnumerable<string> documents) =>
        string.Concat(documents.Select(d => "---\n" + (d.EndsWith('\n') ? d : d + "\n")));

    /// <summary>
    /// Whether a string can be written unquoted and still read back as the same string by YAML 1.1 and 1.2
    /// readers. Deliberately conservative: "00:00:05" is a base-60 number to YAML 1.1, "on" a boolean,
    /// "100m" fine but cheap to quote. Anything not obviously a word gets double quotes.
    /// </summary>
    internal static bool IsPlainSafe(string value) =>
        PlainWord().IsMatch(value) && !ReservedWord().IsMatch(value);

    [GeneratedRegex("^[A-Za-z/][A-Za-z0-9_./-]*$")]
    private static partial Regex PlainWord();

    [GeneratedRegex("^(y|n|yes|no|on|off|true|false|null)$", RegexOptions.IgnoreCase)]
    private static partial Regex ReservedWord();

    private sealed class SafeStringEmitter(IEventEmitter next) : ChainedEventEmitter(next)
    {
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
    }
}
