using System.Reflection;

namespace RecOperator.Crds.Schema;

/// <summary>
/// Maps the regular expressions of <see cref="Patterns"/> to their human reasons (each constant <c>X</c> pairs with
/// <c>XReason</c>), so the schema validator can say what a value must look like instead of quoting a regex.
/// </summary>
internal static class PatternReasons
{
    private static readonly Dictionary<string, string> ByRegex = Build();

    public static string For(string regex) =>
        ByRegex.TryGetValue(regex, out var reason) ? reason : $"must match the regular expression {regex}";

    private static Dictionary<string, string> Build()
    {
        var constants = typeof(Patterns).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);
        return constants
            .Where(c => constants.ContainsKey(c.Key + "Reason"))
            .ToDictionary(c => c.Value, c => constants[c.Key + "Reason"]);
    }
}
