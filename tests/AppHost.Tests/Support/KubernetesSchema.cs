using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DevEnv.AppHost.Tests.Support;

/// <summary>
/// Validates YAML manifests against the official Kubernetes OpenAPI (swagger 2.0) definitions: the definition is
/// found by x-kubernetes-group-version-kind; an unknown field, a wrong type or a missing required field is an
/// error; $ref is followed; int-or-string, quantities and maps (additionalProperties) are understood.
/// </summary>
public sealed partial class KubernetesSchema
{
    /// <summary>Path of the schema in the test output folder (copied from Support/Schema, where it is kept).</summary>
    public const string RelativePath = "Support/Schema/kubernetes-1.36-swagger.json";

    private const string QuantityRef = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    private static readonly Lazy<KubernetesSchema> Shared = new(() => new KubernetesSchema(Find()));

    private readonly JsonDocument _document;
    private readonly JsonElement _definitions;

    private KubernetesSchema(string path)
    {
        Path = path;
        _document = JsonDocument.Parse(File.ReadAllBytes(path));
        _definitions = _document.RootElement.GetProperty("definitions");
    }

    /// <summary>The schema, loaded once per test run.</summary>
    public static KubernetesSchema Instance => Shared.Value;

    /// <summary>Where the schema was read from.</summary>
    public string Path { get; }

    /// <summary>Validates every document of a YAML stream; returns the errors, each with its field path.</summary>
    public IReadOnlyList<string> Validate(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var errors = new List<string>();
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode root)
            {
                errors.Add("document: not a mapping");
                continue;
            }

            var apiVersion = Scalar(root, "apiVersion");
            var kind = Scalar(root, "kind");
            if (apiVersion is null || kind is null)
            {
                errors.Add("document: apiVersion and kind are required");
                continue;
            }

            var definition = FindDefinition(apiVersion, kind);
            if (definition is null)
            {
                errors.Add($"{kind}: no definition for {apiVersion} {kind} in the schema");
                continue;
            }

            ValidateNode(root, _definitions.GetProperty(definition), kind, errors);
        }

        return errors;
    }

    private string? FindDefinition(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        foreach (var definition in _definitions.EnumerateObject())
        {
            if (definition.Value.TryGetProperty("x-kubernetes-group-version-kind", out var gvks)
                && gvks.EnumerateArray().Any(g => g.GetProperty("group").GetString() == group
                                                  && g.GetProperty("version").GetString() == version
                                                  && g.GetProperty("kind").GetString() == kind))
            {
                return definition.Name;
            }
        }

        return null;
    }

    private void ValidateNode(YamlNode node, JsonElement schema, string path, List<string> errors)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!["#/definitions/".Length..];
            if (name == QuantityRef)
            {
                if (node is not YamlScalarNode { Value: { } q } || !Quantity().IsMatch(q))
                {
                    errors.Add($"{path}: not a quantity");
                }

                return;
            }

            ValidateNode(node, _definitions.GetProperty(name), path, errors);
            return;
        }

        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : null;
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        if (type is null && schema.TryGetProperty("properties", out _))
        {
            type = "object";
        }

        switch (type)
        {
            case null:
                return; // Free-form (RawExtension, JSON): anything goes.
            case "object":
                ValidateObject(node, schema, path, errors);
                return;
            case "array":
                if (node is not YamlSequenceNode sequence)
                {
                    errors.Add($"{path}: expected an array, got {Describe(node)}");
                    return;
                }

                var items = schema.GetProperty("items");
                var index = 0;
                foreach (var item in sequence)
                {
                    ValidateNode(item, items, $"{path}[{index++}]", errors);
                }

                return;
            default:
                ValidateScalar(node, type, format, path, errors);
                return;
        }
    }

    private void ValidateObject(YamlNode node, JsonElement schema, string path, List<string> errors)
    {
        if (node is not YamlMappingNode mapping)
        {
            errors.Add($"{path}: expected an object, got {Describe(node)}");
            return;
        }

        var hasProperties = schema.TryGetProperty("properties", out var properties);
        var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            if (hasProperties && properties.TryGetProperty(key, out var propertySchema))
            {
                ValidateNode(value, propertySchema, $"{path}.{key}", errors);
            }
            else if (hasAdditional && additional.ValueKind == JsonValueKind.Object)
            {
                ValidateNode(value, additional, $"{path}.{key}", errors);
            }
            else if (!(hasAdditional && additional.ValueKind == JsonValueKind.True))
            {
                errors.Add($"{path}.{key}: unknown field");
            }
        }

        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!mapping.Children.ContainsKey(new YamlScalarNode(name)))
                {
                    errors.Add($"{path}.{name}: required field missing");
                }
            }
        }
    }

    private static void ValidateScalar(YamlNode node, string type, string? format, string path, List<string> errors)
    {
        if (node is not YamlScalarNode scalar || scalar.Value is null)
        {
            errors.Add($"{path}: expected {type}, got {Describe(node)}");
            return;
        }

        var text = scalar.Value;
        var plain = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any;
        var ok = type switch
        {
            "string" when format == "int-or-string" => !plain || IsInteger(text) || !LooksTyped(text),
            "string" => !plain || !LooksTyped(text),
            "integer" => plain && IsInteger(text),
            "number" => plain && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            "boolean" => plain && text is "true" or "false",
            _ => false,
        };
        if (!ok)
        {
            errors.Add($"{path}: expected {type}{(format is null ? "" : $" ({format})")}, got '{text}'");
        }
    }

    // What a YAML reader would not read as a string when unquoted (YAML 1.1 included: sexagesimal, yes/no/on/off).
    private static bool LooksTyped(string text) => TypedPlain().IsMatch(text);

    private static bool IsInteger(string text) => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "an object",
        YamlSequenceNode => "an array",
        YamlScalarNode s => $"'{s.Value}'",
        _ => node.NodeType.ToString(),
    };

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode s ? s.Value : null;

    private static string Find()
    {
        var path = System.IO.Path.Combine(AppContext.BaseDirectory, RelativePath);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The Kubernetes schema was not found at {path}: it is copied there from tests/AppHost.Tests/{RelativePath} by the build.");
    }

    [GeneratedRegex(@"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$")]
    private static partial Regex Quantity();

    [GeneratedRegex(@"^(~|null|Null|NULL|true|false|True|False|TRUE|FALSE|y|Y|n|N|yes|no|Yes|No|YES|NO|on|off|On|Off|ON|OFF|[-+]?\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|[-+]?\d+(:[0-5]?\d)+(\.\d*)?|0x[0-9a-fA-F]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex TypedPlain();
}
