using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;
using RecOperator.DevCluster.Validation;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// The label selector grammar of `?labelSelector=`: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`,
/// `a` (exists) and `!a` (does not exist), comma-separated and ANDed; and the same requirements from a selector object
/// (<see cref="Of"/>), so a query and a Deployment's spec.selector match labels by one set of rules.
/// </summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> _requirements;

    private LabelSelector(IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r(labels));

    /// <summary>Parses a selector; a malformed one is a 400 naming the parameter, as on the real server.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var requirements = new List<Func<IReadOnlyDictionary<string, string>, bool>>();
        foreach (var term in SplitTerms(text))
        {
            requirements.Add(ParseTerm(term.Trim(), text));
        }
        return new LabelSelector(requirements);
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseTerm(string term, string whole)
    {
        if (term.StartsWith('!'))
        {
            return Exists(Key(term[1..].Trim()), negate: true);
        }
        foreach (var (op, negate) in new[] { (" notin ", true), (" in ", false) })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = Key(term[..at].Trim());
                var set = term[(at + op.Length)..].Trim();
                if (!set.StartsWith('(') || !set.EndsWith(')'))
                {
                    throw Bad(whole);
                }
                var values = set[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select((v, i) => Value(key, v, i)).ToHashSet();
                if (values.Count == 0)
                {
                    throw ApiErrors.BadRequest($"unable to parse requirement: values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty (in \"{whole}\")");
                }
                return InSet(key, values, negate);
            }
        }
        foreach (var (op, negate) in new[] { ("!=", true), ("==", false), ("=", false) })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = Key(term[..at].Trim());
                return InSet(key, One(Value(key, term[(at + op.Length)..].Trim(), 0)), negate);
            }
        }
        if (term.Length == 0 || term.Any(c => c is ' ' or '(' or ')' or '=' or '!'))
        {
            throw Bad(whole);
        }
        return Exists(Key(term), negate: false);
    }

    /// <summary>
    /// A selector object (matchLabels and matchExpressions, as in a Deployment's spec.selector), ANDed like the query
    /// form. Its operators are the caller's to check: an unknown one matches nothing.
    /// </summary>
    public static LabelSelector Of(JsonObject selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var requirements = (selector["matchLabels"] as JsonObject ?? [])
            .Select(p => InSet(p.Key, One(JsonTree.ScalarText(p.Value) ?? ""), negate: false)).ToList();
        foreach (var expression in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = JsonTree.GetString(expression, "key") ?? "";
            var values = (expression["values"] as JsonArray ?? []).Select(v => JsonTree.ScalarText(v) ?? "").ToHashSet(StringComparer.Ordinal);
            requirements.Add(JsonTree.GetString(expression, "operator") switch
            {
                "In" => InSet(key, values, negate: false),
                "NotIn" => InSet(key, values, negate: true),
                "Exists" => Exists(key, negate: false),
                "DoesNotExist" => Exists(key, negate: true),
                _ => _ => false,
            });
        }
        return new LabelSelector(requirements);
    }

    /// <summary>`key in (values)`, or with <paramref name="negate"/> `key notin (values)` (which an absent key meets); `=` and `!=` are sets of one.</summary>
    private static Func<IReadOnlyDictionary<string, string>, bool> InSet(string key, IReadOnlySet<string> values, bool negate) => negate
        ? labels => !labels.TryGetValue(key, out var v) || !values.Contains(v)
        : labels => labels.TryGetValue(key, out var v) && values.Contains(v);

    private static HashSet<string> One(string value) => new(StringComparer.Ordinal) { value };

    private static Func<IReadOnlyDictionary<string, string>, bool> Exists(string key, bool negate) =>
        labels => labels.ContainsKey(key) != negate;

    /// <summary>
    /// A key must be a qualified name and a value a label value, as the real parser requires: otherwise `a=b c`
    /// or `!=` were read as some other selector and answered 200 with a list nobody asked for.
    /// </summary>
    private static string Key(string key) => NameRules.QualifiedNameProblem(key) is { } problem
        ? throw ApiErrors.BadRequest($"unable to parse requirement: key: Invalid value: \"{key}\": {problem}")
        : key;

    private static string Value(string key, string value, int index) => NameRules.IsLabelValue(value)
        ? value
        : throw ApiErrors.BadRequest($"unable to parse requirement: values[{index}][{key}]: Invalid value: \"{value}\": {NameRules.LabelValueFormatMessage}");

    /// <summary>Splits on commas outside parentheses (`a in (x,y),b=c` has two terms).</summary>
    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }

    private static ApiException Bad(string text) =>
        ApiErrors.BadRequest($"unable to parse requirement: invalid label selector: \"{text}\"");
}
