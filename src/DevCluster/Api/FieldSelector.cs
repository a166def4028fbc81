using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// `?fieldSelector=` with `=`, `==` and `!=` on dotted field paths (metadata.name, metadata.namespace,
/// status.phase, involvedObject.uid, ...). The real server allows a per-kind list; any path is accepted here.
/// </summary>
public sealed class FieldSelector
{
    private readonly IReadOnlyList<(string Path, string Value, bool Negate)> _terms;

    private FieldSelector(IReadOnlyList<(string, string, bool)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    /// <summary>The exact name a selector pins, if any: lets watches and lists of one object skip the rest.</summary>
    public string? PinnedName => _terms.FirstOrDefault(t => t.Path == "metadata.name" && !t.Negate).Value;

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var terms = new List<(string, string, bool)>();
        foreach (var term in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (op, negate) = term.Contains("!=", StringComparison.Ordinal) ? ("!=", true)
                : term.Contains("==", StringComparison.Ordinal) ? ("==", false) : ("=", false);
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at <= 0)
            {
                throw ApiErrors.BadRequest($"invalid field selector: \"{text}\": expected <field>=<value>");
            }
            terms.Add((term[..at].Trim(), term[(at + op.Length)..].Trim(), negate));
        }
        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj) => _terms.All(t =>
    {
        var actual = JsonTree.ScalarText(JsonTree.Get(obj, t.Path)) ?? "";
        return (actual == t.Value) != t.Negate;
    });
}
