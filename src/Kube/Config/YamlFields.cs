using YamlDotNet.RepresentationModel;

namespace RecOperator.Kube.Config;

/// <summary>Reads fields of a parsed YAML mapping, naming the field's full path in every error.</summary>
internal sealed class YamlFields(string file, YamlMappingNode node, string path)
{
    public string Path { get; } = path;

    public string? Text(string key)
    {
        var value = Child(key);
        return value switch
        {
            null => null,
            YamlScalarNode scalar => scalar.Value,
            _ => throw Error(key, "must be a string"),
        };
    }

    public string RequiredText(string key) =>
        Text(key) is { Length: > 0 } text ? text : throw Error(key, "is required");

    public bool Flag(string key) => Text(key) switch
    {
        null => false,
        "true" or "True" => true,
        "false" or "False" => false,
        var other => throw Error(key, $"must be true or false, not '{other}'"),
    };

    public YamlFields? Mapping(string key) => Child(key) switch
    {
        null => null,
        YamlMappingNode mapping => new YamlFields(file, mapping, Join(key)),
        YamlScalarNode { Value: null or "" or "null" or "~" } => null,
        _ => throw Error(key, "must be a mapping"),
    };

    public IEnumerable<YamlFields> List(string key)
    {
        switch (Child(key))
        {
            case null:
            case YamlScalarNode { Value: null or "" or "null" or "~" }:
                yield break;
            case YamlSequenceNode sequence:
                var index = 0;
                foreach (var item in sequence)
                {
                    var itemPath = $"{Join(key)}[{index++}]";
                    yield return item is YamlMappingNode mapping
                        ? new YamlFields(file, mapping, itemPath)
                        : throw new KubeConfigException(file, itemPath, "must be a mapping");
                }

                break;
            default:
                throw Error(key, "must be a list");
        }
    }

    /// <summary>A list of strings, e.g. an exec plugin's <c>args</c>; absent is empty.</summary>
    public IReadOnlyList<string> Strings(string key) => Child(key) switch
    {
        null or YamlScalarNode { Value: null or "" or "null" or "~" } => [],
        YamlSequenceNode sequence => sequence.Children
            .Select((item, index) => item is YamlScalarNode { Value: { } text } ? text : throw new KubeConfigException(file, $"{Join(key)}[{index}]", "must be a string"))
            .ToList(),
        _ => throw Error(key, "must be a list of strings"),
    };

    /// <summary>The field's value as JSON, for free-form content such as a cluster extension.</summary>
    public System.Text.Json.Nodes.JsonNode? Json(string key) => Child(key) is { } value ? Yaml.YamlDocuments.ToJson(value) : null;

    public bool Has(string key) => Child(key) is not null;

    public KubeConfigException Error(string key, string problem) => new(file, Join(key), problem);

    private YamlNode? Child(string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private string Join(string key) => Path.Length == 0 ? key : $"{Path}.{key}";
}
