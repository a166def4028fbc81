using System.Text.Json.Serialization;
using RecOperator.Demo.Summary;

namespace RecOperator.Demo;

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(DemoSummary))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
