using System.Globalization;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// The `meta.k8s.io/v1` Table that `kubectl get` asks for: a Name column (unless the resource's printer has none), the resource's printer columns,
/// one row per object, and per row the object itself, its metadata only, or nothing (`includeObject`).
/// </summary>
public static class TableConverter
{
    public static bool Wanted(string? accept) =>
        accept is not null && accept.Contains("as=Table", StringComparison.Ordinal);

    public static JsonObject Build(ResourceType type, IEnumerable<JsonObject> objects, string? includeObject, bool withColumns, DateTimeOffset now)
    {
        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject(),
        };
        if (withColumns)
        {
            var columns = new JsonArray();
            if (type.NameColumn)
            {
                columns.Add(new JsonObject
                {
                    ["name"] = "Name", ["type"] = "string", ["format"] = "name", ["description"] = "Name must be unique within a namespace.", ["priority"] = 0,
                });
            }
            foreach (var column in type.PrinterColumns)
            {
                columns.Add(new JsonObject
                {
                    ["name"] = column.Name, ["type"] = column.Type, ["format"] = column.Format,
                    ["description"] = column.Description, ["priority"] = column.Priority,
                });
            }
            table["columnDefinitions"] = columns;
        }
        table["rows"] = new JsonArray(objects.Select(o => (JsonNode?)Row(type, o, includeObject, now)).ToArray());
        return table;
    }

    private static JsonObject Row(ResourceType type, JsonObject obj, string? includeObject, DateTimeOffset now)
    {
        var cells = type.NameColumn ? new JsonArray(JsonValue.Create(JsonTree.GetString(obj, "metadata.name"))) : [];
        foreach (var column in type.PrinterColumns)
        {
            cells.Add(Cell(column, obj, now));
        }
        var row = new JsonObject { ["cells"] = cells };
        switch (includeObject)
        {
            case "None":
                break;
            case "Object":
                row["object"] = obj.DeepClone();
                break;
            default:
                row["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = obj["metadata"]?.DeepClone(),
                };
                break;
        }
        return row;
    }

    private static JsonNode? Cell(PrinterColumn column, JsonObject obj, DateTimeOffset now)
    {
        if (column.Compute is { } compute)
        {
            return JsonValue.Create(compute(obj, now)?.ToString());
        }
        var value = column.JsonPath is null ? null : JsonPathQuery.First(obj, column.JsonPath);
        if (value is null)
        {
            return null;
        }
        if (column.Type == "date" && value is JsonValue v && v.TryGetValue<string>(out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return HumanDuration(now - time);
        }
        return value.DeepClone();
    }

    /// <summary>The real printers' age format: 45s, 5m10s, 65m, 3h10m, 20h, 3d5h, 12d, 2y.</summary>
    public static string HumanDuration(TimeSpan age)
    {
        var seconds = (long)Math.Max(0, age.TotalSeconds);
        static string I(long n) => n.ToString(CultureInfo.InvariantCulture);
        return seconds switch
        {
            < 120 => $"{I(seconds)}s",
            < 600 => seconds % 60 == 0 ? $"{I(seconds / 60)}m" : $"{I(seconds / 60)}m{I(seconds % 60)}s",
            < 3 * 3600 => $"{I(seconds / 60)}m",
            < 8 * 3600 => (seconds / 60) % 60 == 0 ? $"{I(seconds / 3600)}h" : $"{I(seconds / 3600)}h{I((seconds / 60) % 60)}m",
            < 48 * 3600 => $"{I(seconds / 3600)}h",
            < 8 * 86400 => (seconds / 3600) % 24 == 0 ? $"{I(seconds / 86400)}d" : $"{I(seconds / 86400)}d{I((seconds / 3600) % 24)}h",
            < 2 * 365 * 86400 => $"{I(seconds / 86400)}d",
            _ => $"{I(seconds / (365 * 86400))}y",
        };
    }
}
