using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace RecOperator.Crds;

/// <summary>Source-generated JSON for the project's resources: camelCase, nulls omitted, as the API server stores them.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RecModel))]
[JsonSerializable(typeof(NodePool))]
[JsonSerializable(typeof(JsonObject))]
public sealed partial class CrdsJsonContext : JsonSerializerContext;
