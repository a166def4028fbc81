using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;

namespace RecOperator.Kube;

/// <summary>
/// A Kubernetes resource quantity ("500m", "2Gi", "1.5", "1e3"). Compared by value, so "1" equals "1000m";
/// written back in Kubernetes' canonical form, so "1.5" becomes "1500m" and "1024Mi" becomes "1Gi".
/// </summary>
[JsonConverter(typeof(ResourceQuantityConverter))]
public readonly struct ResourceQuantity : IEquatable<ResourceQuantity>, IComparable<ResourceQuantity>
{
    public ResourceQuantity(decimal value, QuantityFormat format)
    {
        Value = RoundUpToNano(value);
        Format = format;
    }

    /// <summary>The amount in base units (cores, bytes).</summary>
    public decimal Value { get; }

    public QuantityFormat Format { get; }

    public static ResourceQuantity Parse(string text) =>
        TryParse(text, out var quantity, out var error) ? quantity : throw new FormatException(error);

    public static bool TryParse([NotNullWhen(true)] string? text, out ResourceQuantity quantity) =>
        TryParse(text, out quantity, out _);

    public static bool TryParse(string? text, out ResourceQuantity quantity, out string? error)
    {
        quantity = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "a quantity must not be empty";
            return false;
        }

        var numberEnd = 0;
        while (numberEnd < text.Length && (char.IsAsciiDigit(text[numberEnd]) || text[numberEnd] is '.' or '+' or '-'))
        {
            numberEnd++;
        }

        var number = text[..numberEnd];
        var suffix = text[numberEnd..];
        if (!decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var mantissa)
            || !QuantitySuffix.TryParse(suffix, out var multiplier, out var format))
        {
            error = $"quantity '{text}' does not match <number><suffix> (suffixes: n u m k M G T P E Ki Mi Gi Ti Pi Ei e<n>)";
            return false;
        }

        try
        {
            quantity = new ResourceQuantity(mantissa * multiplier, format);
        }
        catch (OverflowException)
        {
            error = $"quantity '{text}' is too large";
            return false;
        }

        error = null;
        return true;
    }

    public override string ToString() => QuantitySuffix.FormatCanonical(Value, Format);

    public bool Equals(ResourceQuantity other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is ResourceQuantity other && Equals(other);

    public override int GetHashCode() => Value.GetHashCode();

    public int CompareTo(ResourceQuantity other) => Value.CompareTo(other.Value);

    public static bool operator ==(ResourceQuantity left, ResourceQuantity right) => left.Equals(right);

    public static bool operator !=(ResourceQuantity left, ResourceQuantity right) => !left.Equals(right);

    public static bool operator <(ResourceQuantity left, ResourceQuantity right) => left.CompareTo(right) < 0;

    public static bool operator >(ResourceQuantity left, ResourceQuantity right) => left.CompareTo(right) > 0;

    public static bool operator <=(ResourceQuantity left, ResourceQuantity right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ResourceQuantity left, ResourceQuantity right) => left.CompareTo(right) >= 0;

    // Kubernetes keeps nano precision and rounds anything finer up (away from zero), never silently to 0.
    private static decimal RoundUpToNano(decimal value)
    {
        const decimal nano = 1_000_000_000m;
        var scaled = value * nano;
        var rounded = scaled >= 0 ? decimal.Ceiling(scaled) : decimal.Floor(scaled);
        return rounded == scaled ? value : rounded / nano;
    }
}
