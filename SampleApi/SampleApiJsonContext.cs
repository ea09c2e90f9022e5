using System.Text.Json.Serialization;

namespace DevEnv.SampleApi;

/// <summary>Trim-safe JSON for the sample's responses.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(VersionInfo))]
internal sealed partial class SampleApiJsonContext : JsonSerializerContext;
