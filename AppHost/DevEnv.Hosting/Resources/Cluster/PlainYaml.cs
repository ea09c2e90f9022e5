using DevEnv.Hosting.Clients.Kubernetes;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace DevEnv.Hosting.Resources.Cluster;

/// <summary>
/// YAML of our own typed records that are not Kubernetes API objects (the kind config, the KEP-1755 value):
/// camelCase field names in declaration order, nulls omitted, no anchors, strings quoted as
/// <see cref="SafeStringEmitter"/> says. Pure: the same object graph gives the same bytes.
/// </summary>
public static class PlainYaml
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
}
