using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Resources;

/// <summary>
/// The JSONPath subset that additionalPrinterColumns use in practice: `.a.b`, `[0]`, `[*]` and
/// `[?(@.type=="Ready")]` filters. Returns the first match, as kubectl's column printer does.
/// </summary>
public static class JsonPathQuery
{
    public static JsonNode? First(JsonNode? root, string path)
    {
        var trimmed = path.Trim();
        if (trimmed.StartsWith('{') && trimmed.EndsWith('}'))
        {
            trimmed = trimmed[1..^1];
        }
        if (trimmed.StartsWith('$'))
        {
            trimmed = trimmed[1..];
        }
        return Evaluate([root], trimmed).FirstOrDefault();
    }

    private static IEnumerable<JsonNode?> Evaluate(IEnumerable<JsonNode?> current, string path)
    {
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = i + 1;
                while (end < path.Length && path[end] != '.' && path[end] != '[')
                {
                    end++;
                }
                var name = path[(i + 1)..end];
                current = current.Select(n => n is JsonObject o && o.TryGetPropertyValue(name, out var v) ? v : null)
                    .Where(n => n is not null).ToList();
                i = end;
            }
            else if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                if (close < 0)
                {
                    return [];
                }
                var selector = path[(i + 1)..close];
                current = current.SelectMany(n => Subscript(n, selector)).ToList();
                i = close + 1;
            }
            else
            {
                return [];
            }
        }
        return current;
    }

    private static IEnumerable<JsonNode?> Subscript(JsonNode? node, string selector)
    {
        if (node is not JsonArray array)
        {
            return [];
        }
        if (selector == "*")
        {
            return array;
        }
        if (int.TryParse(selector, out var index))
        {
            if (index < 0)
            {
                index += array.Count;
            }
            return index >= 0 && index < array.Count ? [array[index]] : [];
        }
        if (selector.StartsWith("?(@.", StringComparison.Ordinal) && selector.EndsWith(')'))
        {
            var body = selector[4..^1];
            var eq = body.IndexOf("==", StringComparison.Ordinal);
            if (eq < 0)
            {
                return [];
            }
            var field = body[..eq].Trim();
            var expected = body[(eq + 2)..].Trim().Trim('"', '\'');
            return array.Where(e => JsonTree.ScalarText(JsonTree.Get(e, field)) == expected);
        }
        return [];
    }
}
