using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;

namespace RecOperator.DevCluster.Validation;

/// <summary>
/// The uniqueness a CRD schema's list types promise, checked as the real server's listtype validation checks them:
/// the items of an `x-kubernetes-list-type: set` (`Duplicate value: "x"`) and the keys of a `map` by its
/// `x-kubernetes-list-map-keys` (`Duplicate value: map[string]interface {}{"name":"a"}`). Only the first repeat of a
/// value is reported, at its index. Server-side apply merges such lists by these keys, so a repeated key would make
/// two items one. Pure.
/// </summary>
public static class ListTypeRules
{
    /// <summary>Stands for a key field an item leaves out: such items share one key, as they do on the real server.</summary>
    private const string Unspecified = "\u0000unspecified";

    public static IEnumerable<FieldError> Check(JsonArray array, JsonObject schema, string path)
    {
        var listType = schema["x-kubernetes-list-type"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        return listType switch
        {
            "set" => FirstRepeats(array.Select(Identity).ToList()).Select(i => FieldError.Duplicate($"{path}[{i}]", GoText.BadValue(array[i]))),
            "map" => MapKeys(array, schema, path),
            _ => [],
        };
    }

    private static IEnumerable<FieldError> MapKeys(JsonArray array, JsonObject schema, string path)
    {
        var notObject = Enumerable.Range(0, array.Count).FirstOrDefault(i => array[i] is not (null or JsonObject), -1);
        if (notObject >= 0)
        {
            return [FieldError.Invalid($"{path}[{notObject}]", GoText.BadValue(array[notObject]), "must be an object for an array of list-type map")];
        }
        var keyFields = (schema["x-kubernetes-list-map-keys"] as JsonArray ?? []).Select(k => k?.GetValue<string>() ?? "").ToList();
        // An item's key: the key fields it has (a single left-out key counts as one shared "unspecified" value).
        var keys = array.Select(item => new JsonObject(keyFields
            .Where(f => item is JsonObject o && o.ContainsKey(f))
            .Select(f => KeyValuePair.Create(f, item![f]?.DeepClone())))).ToList();
        var identities = keys.Select(k => keyFields.Count == 1 && k.Count == 0 ? Unspecified : Identity(k)).ToList();
        return FirstRepeats(identities).Select(i => FieldError.Duplicate($"{path}[{i}]", GoText.Syntax(keys[i])));
    }

    /// <summary>The index of each value's second appearance (later ones are not reported again).</summary>
    private static IEnumerable<int> FirstRepeats(IReadOnlyList<string> identities)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < identities.Count; i++)
        {
            seen[identities[i]] = seen.GetValueOrDefault(identities[i]) + 1;
            if (seen[identities[i]] == 2)
            {
                yield return i;
            }
        }
    }

    /// <summary>
    /// Equality as Go compares the decoded values: an int64 never equals a float64 (1 and 1.0 differ), objects by
    /// their content whatever the key order.
    /// </summary>
    private static string Identity(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject obj => "{" + string.Join(",", obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{GoText.Quote(p.Key)}:{Identity(p.Value)}")) + "}",
        JsonArray array => "[" + string.Join(",", array.Select(Identity)) + "]",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => "s" + GoText.Quote(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => GoText.IntegerOf(v) is { } n
            ? "i" + n.ToString(CultureInfo.InvariantCulture)
            : "f" + Resources.JsonTree.Number(v).ToString("R", CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };
}
