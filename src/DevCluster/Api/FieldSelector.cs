using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// `?fieldSelector=` with `=`, `==` and `!=`. As on the real server, every kind takes metadata.name and
/// metadata.namespace and each kind a few fields more (<see cref="ResourceType.SelectableFields"/>: a Pod's
/// spec.nodeName and status.phase, an Event's involvedObject.*, a custom resource's CRD selectableFields); any other
/// label is 400 naming it and the labels the kind takes, so a client that would fail on a real cluster fails here.
/// </summary>
public sealed class FieldSelector
{
    /// <summary>Each term reads the first of its paths that is set (most have one; see <see cref="ResourceType.SelectableFields"/>).</summary>
    private readonly IReadOnlyList<(string[] Paths, string Value, bool Negate)> _terms;

    private FieldSelector(IReadOnlyList<(string[], string, bool)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    /// <summary>The exact name a selector pins, if any: lets watches and lists of one object skip the rest.</summary>
    public string? PinnedName => _terms.FirstOrDefault(t => t.Paths is ["metadata.name"] && !t.Negate).Value;

    private static readonly string[] EveryKind = ["metadata.name", "metadata.namespace"];

    public static FieldSelector Parse(string? text, ResourceType type, string? labelSelector = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var terms = new List<(string[], string, bool)>();
        foreach (var term in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (op, negate) = term.Contains("!=", StringComparison.Ordinal) ? ("!=", true)
                : term.Contains("==", StringComparison.Ordinal) ? ("==", false) : ("=", false);
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at <= 0)
            {
                throw ApiErrors.BadRequest($"invalid field selector: \"{text}\": expected <field>=<value>");
            }
            var label = term[..at].Trim();
            terms.Add((PathOf(label, type, text, labelSelector).Split('|'), term[(at + op.Length)..].Trim(), negate));
        }
        return new FieldSelector(terms);
    }

    /// <summary>The dotted path a label reads, or 400 with the real server's wording when the kind does not take it.</summary>
    private static string PathOf(string label, ResourceType type, string text, string? labelSelector)
    {
        if (EveryKind.Contains(label) || type.SelectableFields is null)
        {
            return label;
        }
        if (type.SelectableFields.TryGetValue(label, out var path))
        {
            return path;
        }
        var known = string.Join(", ", EveryKind.Concat(type.SelectableFields.Keys.Order(StringComparer.Ordinal)).Select(k => $"\"{k}\""));
        throw ApiErrors.BadRequest(
            $"Unable to find \"{type.GroupResource}\" that match label selector \"{labelSelector}\", field selector \"{text}\": \"{label}\" is not a known field selector: only {known}");
    }

    public bool Matches(JsonObject obj) => _terms.All(t =>
    {
        var actual = t.Paths.Select(p => JsonTree.ScalarText(JsonTree.Get(obj, p))).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? "";
        return (actual == t.Value) != t.Negate;
    });
}
