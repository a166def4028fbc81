using System.Text.Json.Serialization;

namespace RecOperator.ModelOptimizer.Manifest;

/// <summary>Source-generated JSON for manifests: camelCase, indented, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(ArtifactManifest))]
public sealed partial class ManifestJsonContext : JsonSerializerContext;
