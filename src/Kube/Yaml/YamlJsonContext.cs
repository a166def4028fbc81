using System.Text.Json.Serialization;

namespace RecOperator.Kube.Yaml;

/// <summary>Source-generated JSON for quoting YAML strings.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class YamlJsonContext : JsonSerializerContext;
