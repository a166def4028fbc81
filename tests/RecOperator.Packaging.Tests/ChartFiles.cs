using System.Text.Json.Nodes;
using RecOperator.Kube.Yaml;
using RecOperator.Packaging.Tests.ChartRendering;
using RecOperator.Tests.Shared;

namespace RecOperator.Packaging.Tests;

/// <summary>The chart under test: its folder, default values and schema, and renderers for chosen values.</summary>
internal static class ChartFiles
{
    public const string Release = "rec-operator";
    public const string Namespace = "rec-operator-system";

    public static string Directory => RepoPaths.Combine("charts", "rec-operator");

    public static string Path(params string[] parts) => System.IO.Path.Combine([Directory, .. parts]);

    /// <summary>A fresh copy of values.yaml as JSON, for a test to change.</summary>
    public static JsonObject Values() => YamlDocuments.Parse(File.ReadAllText(Path("values.yaml")))[0].AsObject();

    public static JsonObject Schema() => JsonNode.Parse(File.ReadAllText(Path("values.schema.json")))!.AsObject();

    public static ChartRenderer Renderer(JsonObject? values = null) => new(Directory, values ?? Values(), Release, Namespace);

    /// <summary>Sets a dotted path (creating nothing: the parent must exist), e.g. Set(v, "metrics.source", "prometheus").</summary>
    public static JsonObject Set(JsonObject values, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate((JsonNode)values, (node, part) => node[part] ?? throw new KeyNotFoundException(path));
        parent[parts[^1]] = value;
        return values;
    }
}
