using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RecOperator.DevCluster.Validation.Cel;

/// <summary>
/// Evaluates the CEL subset over JSON: values are null, bool, long, double, string, lists and maps (JsonObject).
/// A missing field is an evaluation error ("no such key"), as in CEL; <c>has()</c> tests presence.
/// </summary>
internal static class CelEvaluator
{
    private static readonly HashSet<string> SupportedFunctions =
        ["has", "size", "startsWith", "endsWith", "contains", "matches", "int", "double", "string", "all", "exists", "exists_one", "filter", "map", "sum", "min", "max"];

    public static object? Evaluate(CelNode node, IReadOnlyDictionary<string, object?> variables) => node switch
    {
        CelNode.Literal l => l.Value,
        CelNode.Identifier id => variables.TryGetValue(id.Name, out var v) ? v : throw new CelException($"undeclared reference to '{id.Name}'"),
        CelNode.Member m => Field(Evaluate(m.Target, variables), m.Name),
        CelNode.Index ix => IndexInto(Evaluate(ix.Target, variables), Evaluate(ix.Key, variables)),
        CelNode.Unary { Operator: "!" } u => !Bool(Evaluate(u.Operand, variables)),
        CelNode.Unary u => Evaluate(u.Operand, variables) switch { long n => -n, double d => -d, var x => throw Type("-", x) },
        CelNode.Conditional c => Bool(Evaluate(c.Condition, variables)) ? Evaluate(c.Then, variables) : Evaluate(c.Else, variables),
        CelNode.ListLiteral list => list.Items.Select(i => Evaluate(i, variables)).ToList(),
        CelNode.Binary b => Binary(b, variables),
        CelNode.Call call => Call(call, variables),
        _ => throw new CelException("unsupported expression"),
    };

    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o,
        JsonArray a => a.Select(FromJson).ToList(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValueKind() == JsonValueKind.True,
        JsonValue v => long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? (object)n : double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture),
        _ => null,
    };

    private static object? Binary(CelNode.Binary b, IReadOnlyDictionary<string, object?> variables)
    {
        if (b.Operator is "&&" or "||")
        {
            var left = Bool(Evaluate(b.Left, variables));
            return b.Operator == "&&" ? left && Bool(Evaluate(b.Right, variables)) : left || Bool(Evaluate(b.Right, variables));
        }
        var l = Evaluate(b.Left, variables);
        var r = Evaluate(b.Right, variables);
        return (b.Operator, l, r) switch
        {
            ("==", _, _) => ValueEquals(l, r),
            ("!=", _, _) => !ValueEquals(l, r),
            ("in", _, List<object?> list) => list.Any(x => ValueEquals(x, l)),
            ("in", string key, JsonObject map) => map.ContainsKey(key),
            ("+", string x, string y) => x + y,
            ("+", List<object?> x, List<object?> y) => x.Concat(y).ToList(),
            ("+" or "-" or "*" or "/" or "%", long x, long y) => Integer(b.Operator, x, y),
            ("+" or "-" or "*" or "/", _, _) when IsNumber(l) && IsNumber(r) => Real(b.Operator, Number(l), Number(r)),
            ("<" or "<=" or ">" or ">=", string x, string y) => Compare(b.Operator, string.CompareOrdinal(x, y)),
            ("<" or "<=" or ">" or ">=", _, _) when IsNumber(l) && IsNumber(r) => Compare(b.Operator, Number(l).CompareTo(Number(r))),
            _ => throw Type(b.Operator, l),
        };
    }

    private static object? Call(CelNode.Call call, IReadOnlyDictionary<string, object?> variables)
    {
        if (call.Target is null && call.Function == "has" && call.Arguments is [CelNode.Member member])
        {
            return Evaluate(member.Target, variables) is JsonObject o && o.ContainsKey(member.Name);
        }
        if (call.Target is not null && call.Function is "all" or "exists" or "exists_one" or "filter" or "map"
            && call.Arguments is [CelNode.Identifier variable, var body])
        {
            return Comprehension(call.Function, Evaluate(call.Target, variables), variable.Name, body, variables);
        }
        var target = call.Target is null ? null : Evaluate(call.Target, variables);
        var args = call.Arguments.Select(a => Evaluate(a, variables)).ToList();
        var subject = call.Target is null ? args.FirstOrDefault() : target;
        return (call.Function, subject, call.Target is null ? args.Skip(1).ToList() : args) switch
        {
            ("size", string s, []) => (long)s.Length,
            ("size", List<object?> l, []) => (long)l.Count,
            ("size", JsonObject o, []) => (long)o.Count,
            ("startsWith", string s, [string p]) => s.StartsWith(p, StringComparison.Ordinal),
            ("endsWith", string s, [string p]) => s.EndsWith(p, StringComparison.Ordinal),
            ("contains", string s, [string p]) => s.Contains(p, StringComparison.Ordinal),
            ("matches", string s, [string p]) => Regex.IsMatch(s, p, RegexOptions.None, TimeSpan.FromSeconds(1)),
            ("int", var x, []) when IsNumber(x) => (long)Number(x),
            ("double", var x, []) when IsNumber(x) => Number(x),
            ("string", var x, []) => Convert.ToString(x, CultureInfo.InvariantCulture),
            // Kubernetes' CEL list library: sum of an empty list is 0; min and max of one are errors.
            ("sum", List<object?> l, []) when l.All(x => x is long) => l.Sum(x => (long)x!),
            ("sum", List<object?> l, []) when l.All(IsNumber) => l.Sum(Number),
            ("min" or "max", List<object?> l, []) when l.Count > 0 && l.All(IsNumber) =>
                l.Aggregate((a, b) => (Number(a).CompareTo(Number(b)) < 0) == (call.Function == "min") ? a : b),
            _ when !SupportedFunctions.Contains(call.Function) => throw new CelUnsupportedException(call.Function),
            _ => throw new CelException($"found no matching overload for '{call.Function}'"),
        };
    }

    private static object? Comprehension(string kind, object? range, string name, CelNode body, IReadOnlyDictionary<string, object?> variables)
    {
        var items = range switch
        {
            List<object?> list => list,
            JsonObject map => map.Select(p => (object?)p.Key).ToList(),
            _ => throw Type(kind, range),
        };
        var scope = new Dictionary<string, object?>(variables);
        bool Test(object? item)
        {
            scope[name] = item;
            return Bool(Evaluate(body, scope));
        }
        return kind switch
        {
            "all" => items.All(Test),
            "exists" => items.Any(Test),
            "exists_one" => items.Count(Test) == 1,
            "filter" => items.Where(Test).ToList(),
            _ => items.Select(item => { scope[name] = item; return Evaluate(body, scope); }).ToList(),
        };
    }

    private static object? Field(object? target, string name) => target is JsonObject o
        ? o.TryGetPropertyValue(name, out var value) ? FromJson(value) : throw new CelException($"no such key: {name}")
        : throw new CelException($"no such key: {name}");

    private static object? IndexInto(object? target, object? key) => (target, key) switch
    {
        (List<object?> list, long i) when i >= 0 && i < list.Count => list[(int)i],
        (JsonObject map, string k) => Field(map, k),
        _ => throw new CelException("index out of range"),
    };

    private static bool ValueEquals(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (List<object?> x, List<object?> y) => x.Count == y.Count && x.Zip(y).All(p => ValueEquals(p.First, p.Second)),
        (JsonObject x, JsonObject y) => JsonNode.DeepEquals(x, y),
        _ when IsNumber(a) && IsNumber(b) => Number(a) == Number(b),
        _ => Equals(a, b),
    };

    private static object Integer(string op, long x, long y) => op switch
    {
        "+" => x + y,
        "-" => x - y,
        "*" => x * y,
        "/" => y == 0 ? throw new CelException("division by zero") : x / y,
        _ => y == 0 ? throw new CelException("modulus by zero") : x % y,
    };

    private static object Real(string op, double x, double y) => op switch { "+" => x + y, "-" => x - y, "*" => x * y, _ => x / y };

    private static bool Compare(string op, int order) => op switch { "<" => order < 0, "<=" => order <= 0, ">" => order > 0, _ => order >= 0 };

    private static bool IsNumber(object? x) => x is long or double;

    private static double Number(object? x) => x is long n ? n : (double)x!;

    private static bool Bool(object? x) => x is bool b ? b : throw new CelException("no such overload: expected a bool");

    private static CelException Type(string op, object? x) => new($"no such overload for '{op}' on {x?.GetType().Name ?? "null"}");
}
