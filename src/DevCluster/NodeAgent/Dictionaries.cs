namespace RecOperator.DevCluster.NodeAgent;

/// <summary>Lookups in the models' labels and annotations (IDictionary, which has no GetValueOrDefault of its own).</summary>
internal static class Dictionaries
{
    public static string? Find(this IDictionary<string, string>? map, string key) =>
        map is not null && map.TryGetValue(key, out var value) ? value : null;
}
