using System.CommandLine.Parsing;
using System.Globalization;

namespace RecOperator.Cli;

/// <summary>
/// The line `recop` prints for a parse error. System.CommandLine names the CLR type of a value it cannot convert
/// (<c>System.Nullable`1[System.Int32]</c>), which means nothing to a person; numeric options get
/// "--max-batch-size: 'abc' is not an integer" instead, every other error keeps the library's message.
/// </summary>
internal static class ParseErrorText
{
    public static string Describe(ParseError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var option = error.SymbolResult switch
        {
            OptionResult o => o,
            ArgumentResult { Parent: OptionResult o } => o,
            _ => null,
        };
        if (option is null || Kind(option.Option.ValueType) is not { } kind)
        {
            return error.Message;
        }
        // Only the value that does not convert is named; other errors on a numeric option (missing value) are kept.
        var bad = option.Tokens.FirstOrDefault(t => !Parses(t.Value, kind));
        return bad is null ? error.Message : $"{option.Option.Name}: '{bad.Value}' is not {kind}";
    }

    private static string? Kind(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(int) || t == typeof(long) || t == typeof(uint) || t == typeof(ulong) || t == typeof(short) => "an integer",
        var t when t == typeof(double) || t == typeof(float) || t == typeof(decimal) => "a number",
        _ => null,
    };

    private static bool Parses(string value, string kind) => kind == "an integer"
        ? long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) || ulong.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
        : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
