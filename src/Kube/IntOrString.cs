using System.Globalization;
using System.Text.Json.Serialization;

namespace RecOperator.Kube;

/// <summary>A value that is either an integer or a string, such as a port (8080 or "http") or a surge ("25%").</summary>
[JsonConverter(typeof(IntOrStringConverter))]
public readonly record struct IntOrString
{
    private IntOrString(int? intValue, string? stringValue) => (IntValue, StringValue) = (intValue, stringValue);

    /// <summary>The integer, when this holds one.</summary>
    public int? IntValue { get; }

    /// <summary>The string, when this holds one.</summary>
    public string? StringValue { get; }

    public bool IsInt => IntValue.HasValue;

    public static IntOrString FromInt(int value) => new(value, null);

    public static IntOrString FromString(string value) => new(null, value ?? throw new ArgumentNullException(nameof(value)));

    public static implicit operator IntOrString(int value) => FromInt(value);

    public static implicit operator IntOrString(string value) => FromString(value);

    /// <summary>
    /// Resolves an absolute number or a percentage of <paramref name="total"/> (as Kubernetes does for
    /// maxSurge/maxUnavailable), rounding a percentage up or down as asked.
    /// </summary>
    public int GetScaledValue(int total, bool roundUp)
    {
        if (IntValue is { } absolute)
        {
            return absolute;
        }

        var text = StringValue ?? "";
        if (!text.EndsWith('%') || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
        {
            throw new FormatException($"'{text}' is neither an integer nor a percentage like '25%'");
        }

        var scaled = (long)percent * total;
        return (int)(roundUp ? (scaled + 99) / 100 : scaled / 100);
    }

    public override string ToString() => IntValue?.ToString(CultureInfo.InvariantCulture) ?? StringValue ?? "";
}
