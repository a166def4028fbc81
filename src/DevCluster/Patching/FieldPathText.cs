using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Validation;

namespace RecOperator.DevCluster.Patching;

/// <summary>
/// Field paths as structured-merge-diff prints and orders them, the form apply conflicts quote: `.spec.replicas`, an
/// associative-list element by its keys, sorted, values as Go prints them (`.spec.containers[name="main"].image`,
/// `[containerPort=80,protocol="TCP"]`). Pure.
/// </summary>
public static class FieldPathText
{
    private const string KeyPrefix = "k:";

    public static string Display(string path) => string.Concat(FieldSet.Parts(path).Select(Element));

    /// <summary>
    /// The order a field set iterates in: at each level its own leaves first, then what lies below, each by element
    /// (so `.spec.z` comes before `.spec.a.b`, and a path before the paths below it).
    /// </summary>
    public static int CompareIteration(string left, string right)
    {
        var a = FieldSet.Parts(left);
        var b = FieldSet.Parts(right);
        var common = 0;
        while (common < a.Length && common < b.Length && a[common] == b[common])
        {
            common++;
        }
        if (common == a.Length || common == b.Length)
        {
            return a.Length.CompareTo(b.Length);
        }
        var aIsLeaf = common == a.Length - 1;
        var bIsLeaf = common == b.Length - 1;
        return aIsLeaf != bIsLeaf ? (aIsLeaf ? -1 : 1) : string.CompareOrdinal(Element(a[common]), Element(b[common]));
    }

    private static string Element(string part)
    {
        if (!part.StartsWith(KeyPrefix, StringComparison.Ordinal))
        {
            return "." + part;
        }
        var keys = JsonNode.Parse(part[KeyPrefix.Length..]) as JsonObject ?? [];
        return "[" + string.Join(",", keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={Value(k.Value)}")) + "]";
    }

    /// <summary>A key value as value.ToString writes it: strings quoted as Go's %q, numbers and booleans bare.</summary>
    private static string Value(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => GoText.Quote(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValueKind() == JsonValueKind.True ? "true" : "false",
        JsonValue v when v.TryGetValue<long>(out var n) => n.ToString(CultureInfo.InvariantCulture),
        _ => value.ToJsonString(),
    };
}
