using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;
using RecOperator.Kube;
using RecOperator.Kube.Yaml;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// Reads the node agent's YAML config (see docs/devcluster/README.md). A file without `pools` or without `images`
/// keeps the built-in ones; `{repoRoot}` in an image command is this checkout's root. Errors name the field.
/// </summary>
public static class NodeAgentConfigParser
{
    private static readonly string[] Effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    public static NodeAgentConfig Parse(string yaml, string repositoryRoot, NodeAgentConfig? defaults = null)
    {
        var documents = YamlDocuments.Parse(yaml);
        var root = documents.Count == 0 ? new JsonObject() : documents[0] as JsonObject ?? throw new FormatException("node agent config: the document must be a mapping with `pools` and/or `images`");
        var pools = root["pools"] is JsonArray p ? p.Select((n, i) => Pool(n, $"pools[{i}]")).ToList() : defaults?.Pools ?? [];
        var images = root["images"] is JsonArray m ? m.Select((n, i) => Image(n, $"images[{i}]", repositoryRoot)).ToList() : defaults?.Images ?? [];
        var duplicate = pools.GroupBy(x => x.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FormatException($"node agent config: pools: the pool name \"{duplicate.Key}\" is used twice");
        }
        return new NodeAgentConfig { Pools = pools, Images = images };
    }

    private static NodePoolConfig Pool(JsonNode? node, string at)
    {
        var obj = node as JsonObject ?? throw Error(at, "must be a mapping");
        var name = Required(obj, "name", at);
        var count = JsonTree.GetLong(obj, "count") ?? 1;
        if (count is < 0 or > 100)
        {
            throw Error($"{at}.count", "must be between 0 and 100");
        }
        var allocatable = Map(obj["allocatable"], $"{at}.allocatable");
        foreach (var (resource, quantity) in allocatable)
        {
            if (!ResourceQuantity.TryParse(quantity, out _))
            {
                throw Error($"{at}.allocatable.{resource}", $"\"{quantity}\" is not a quantity");
            }
        }
        var labels = new Dictionary<string, string>(Map(obj["labels"], $"{at}.labels"), StringComparer.Ordinal) { [NodePoolConfig.PoolLabel] = name };
        var taints = (obj["taints"] as JsonArray ?? []).Select((t, i) => Taint(t, $"{at}.taints[{i}]")).ToList();
        return new NodePoolConfig { Name = name, Count = (int)count, Allocatable = allocatable, Labels = labels, Taints = taints };
    }

    private static NodeTaintConfig Taint(JsonNode? node, string at)
    {
        var obj = node as JsonObject ?? throw Error(at, "must be a mapping with key, value and effect");
        var effect = Required(obj, "effect", at);
        if (!Effects.Contains(effect, StringComparer.Ordinal))
        {
            throw Error($"{at}.effect", $"\"{effect}\" is not one of {string.Join(", ", Effects)}");
        }
        return new NodeTaintConfig(Required(obj, "key", at), JsonTree.ScalarText(obj["value"]), effect);
    }

    private static ImageCommand Image(JsonNode? node, string at, string repositoryRoot)
    {
        var obj = node as JsonObject ?? throw Error(at, "must be a mapping");
        string Expand(string s) => s.Replace("{repoRoot}", repositoryRoot, StringComparison.Ordinal);
        return new ImageCommand
        {
            Repository = Required(obj, "repository", at),
            Command = List(obj["command"], $"{at}.command").Select(Expand).ToList(),
            Args = List(obj["args"], $"{at}.args").Select(Expand).ToList(),
            PortEnv = Map(obj["portEnv"], $"{at}.portEnv"),
            PortArgs = Map(obj["portArgs"], $"{at}.portArgs"),
            Env = Map(obj["env"], $"{at}.env").ToDictionary(kv => kv.Key, kv => Expand(kv.Value), StringComparer.Ordinal),
        };
    }

    private static string Required(JsonObject obj, string field, string at) =>
        JsonTree.ScalarText(obj[field]) is { Length: > 0 } text ? text : throw Error($"{at}.{field}", "is required");

    private static Dictionary<string, string> Map(JsonNode? node, string at) => node switch
    {
        null => new Dictionary<string, string>(StringComparer.Ordinal),
        JsonObject obj => obj.ToDictionary(kv => kv.Key, kv => JsonTree.ScalarText(kv.Value) ?? throw Error($"{at}.{kv.Key}", "must not be null"), StringComparer.Ordinal),
        _ => throw Error(at, "must be a mapping"),
    };

    private static List<string> List(JsonNode? node, string at) => node switch
    {
        null => [],
        JsonArray array => array.Select((n, i) => JsonTree.ScalarText(n) ?? throw Error($"{at}[{i}]", "must not be null")).ToList(),
        _ => throw Error(at, "must be a list of strings"),
    };

    private static FormatException Error(string field, string problem) => new($"node agent config: {field} {problem}");
}
