using System.Reflection;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace DevEnv.Hosting.Clients.Kubernetes;

/// <summary>
/// Typed <c>k8s.Models</c> objects as YAML, configured the way <see cref="KubernetesYaml"/> is (field names from the
/// models' JSON names, int-or-string and quantities as scalars, nulls omitted, no anchors) with one difference:
/// strings are quoted by <see cref="SafeStringEmitter"/>, so YAML 1.1 readers see the same values. What is
/// printed by <c>manifests</c> is what is applied; <see cref="KubernetesYaml.LoadAllFromString"/> reads it back.
/// Pure: the same objects give the same bytes (maps keep the order they were built in).
/// </summary>
public static class ManifestYaml
{
    private static readonly ISerializer Serializer = Build();

    /// <summary>One YAML document, without the leading "---", ending in a newline.</summary>
    public static string Serialize(object document) => Serializer.Serialize(document);

    /// <summary>Joins documents into one multi-document stream (each introduced by "---").</summary>
    public static string Join(IEnumerable<string> documents) =>
        string.Concat(documents.Select(d => "---\n" + (d.EndsWith('\n') ? d : d + "\n")));

    /// <summary>The objects as one multi-document stream.</summary>
    public static string SerializeAll(IEnumerable<object> documents) => Join(documents.Select(Serialize));

    private static ISerializer Build()
    {
        var builder = new SerializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .WithTypeConverter(new IntOrStringYamlConverter())
            .WithTypeConverter(new ResourceQuantityYamlConverter())
            .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
            .DisableAliases()
            .WithEventEmitter(next => new SafeStringEmitter(next))
            .WithNewLine("\n");

        // The models name C# properties after the API where they can (NamespaceProperty is "namespace"); their
        // JSON names are the API's, so they become the YAML names, as in KubernetesYaml.
        foreach (var type in typeof(V1Deployment).Assembly.GetExportedTypes().Where(t => t.Namespace == typeof(V1Deployment).Namespace))
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (property.GetCustomAttribute<JsonPropertyNameAttribute>() is { } json)
                {
                    builder.WithAttributeOverride(type, property.Name, new YamlMemberAttribute { Alias = json.Name });
                }
            }
        }

        return builder.Build();
    }
}
