using System.Text.Json.Serialization;

namespace DevEnv.Diagnostics.Agent;

/// <summary>Source-generated JSON for the agent's <c>ps</c> lines (trim-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TargetProcess))]
internal sealed partial class AgentJsonContext : JsonSerializerContext;
