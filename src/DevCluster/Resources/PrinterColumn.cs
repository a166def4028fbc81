using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Resources;

/// <summary>
/// A column of the Table format. CRDs give a JSONPath; built-ins may give a small function instead
/// (for cells like READY "1/3" that combine two fields), given the object and the time now (for "5s ago").
/// </summary>
public sealed record PrinterColumn(string Name, string Type, string? JsonPath)
{
    public string Description { get; init; } = "";
    public int Priority { get; init; }
    public string Format { get; init; } = "";
    public Func<JsonObject, DateTimeOffset, object?>? Compute { get; init; }
}
