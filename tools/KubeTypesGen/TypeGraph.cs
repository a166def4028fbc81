using System.Text.Json;

namespace RecOperator.KubeTypesGen;

/// <summary>The definitions to generate (the roots and their transitive closure) and the C# name of each.</summary>
public sealed class TypeGraph
{
    private readonly Dictionary<string, string> _names;

    private TypeGraph(JsonElement definitions, IReadOnlyList<string> keys, Dictionary<string, string> names)
    {
        Definitions = definitions;
        Keys = keys;
        _names = names;
    }

    public JsonElement Definitions { get; }

    /// <summary>Definition keys to emit, in ordinal order so output is deterministic.</summary>
    public IReadOnlyList<string> Keys { get; }

    public string NameOf(string key) => _names[key];

    public static TypeGraph Build(JsonElement definitions, IEnumerable<string> roots)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        foreach (var root in roots)
        {
            pending.Push(root);
            pending.Push(root + "List");
        }

        while (pending.Count > 0)
        {
            var key = pending.Pop();
            if (SchemaRoots.Mapped.ContainsKey(key) || seen.Contains(key) || !definitions.TryGetProperty(key, out var schema))
            {
                continue;
            }

            seen.Add(key);
            foreach (var reference in References(schema))
            {
                pending.Push(reference);
            }
        }

        return new TypeGraph(definitions, [.. seen], AssignNames(seen));
    }

    /// <summary>Every <c>$ref</c> target inside a schema, at any depth.</summary>
    public static IEnumerable<string> References(JsonElement schema)
    {
        switch (schema.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in schema.EnumerateObject())
                {
                    if (property.Name == "$ref" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        yield return property.Value.GetString()!.Split('/')[^1];
                        continue;
                    }

                    foreach (var nested in References(property.Value))
                    {
                        yield return nested;
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in schema.EnumerateArray())
                {
                    foreach (var nested in References(item))
                    {
                        yield return nested;
                    }
                }

                break;
        }
    }

    // Short names (V1Event) unless two definitions in the set would share one; those get the group too.
    private static Dictionary<string, string> AssignNames(IReadOnlyCollection<string> keys)
    {
        var parsed = keys.Select(DefinitionName.Parse).ToList();
        var clashing = parsed.GroupBy(n => n.ShortTypeName, StringComparer.Ordinal)
            .Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        return parsed.ToDictionary(
            n => n.Key,
            n => clashing.Contains(n.ShortTypeName) ? n.QualifiedTypeName : n.ShortTypeName,
            StringComparer.Ordinal);
    }
}
