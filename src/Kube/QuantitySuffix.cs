using System.Globalization;

namespace RecOperator.Kube;

/// <summary>Parsing and canonical formatting of quantity suffixes, following Kubernetes' resource package.</summary>
internal static class QuantitySuffix
{
    private static readonly (string Suffix, int Exponent)[] Decimal =
        [("n", -9), ("u", -6), ("m", -3), ("", 0), ("k", 3), ("M", 6), ("G", 9), ("T", 12), ("P", 15), ("E", 18)];

    private static readonly (string Suffix, int Power)[] Binary =
        [("Ki", 10), ("Mi", 20), ("Gi", 30), ("Ti", 40), ("Pi", 50), ("Ei", 60)];

    public static bool TryParse(string suffix, out decimal multiplier, out QuantityFormat format)
    {
        foreach (var (name, exponent) in Decimal)
        {
            if (name == suffix)
            {
                (multiplier, format) = (Pow10(exponent), QuantityFormat.DecimalSI);
                return true;
            }
        }

        foreach (var (name, power) in Binary)
        {
            if (name == suffix)
            {
                (multiplier, format) = (Pow2(power), QuantityFormat.BinarySI);
                return true;
            }
        }

        (multiplier, format) = (0, QuantityFormat.DecimalExponent);
        if (suffix.Length > 1 && suffix[0] is 'e' or 'E'
            && int.TryParse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exp)
            && exp is >= -18 and <= 18)
        {
            multiplier = Pow10(exp);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Binary quantities use the largest power of 1024 that divides them; everything else an integer mantissa with
    /// the largest exponent that is a multiple of three (1.5 -> 1500m, 2000 -> 2k).
    /// </summary>
    public static string FormatCanonical(decimal value, QuantityFormat format)
    {
        if (value == 0)
        {
            return "0";
        }

        if (format == QuantityFormat.BinarySI && decimal.Truncate(value) == value)
        {
            for (var i = Binary.Length - 1; i >= 0; i--)
            {
                var unit = Pow2(Binary[i].Power);
                if (value % unit == 0)
                {
                    return Integer(value / unit) + Binary[i].Suffix;
                }
            }

            // Below 1Ki a binary quantity has no exact binary suffix: write it in decimal form, as Kubernetes does.
        }

        for (var exponent = 18; exponent >= -9; exponent -= 3)
        {
            var mantissa = value / Pow10(exponent);
            if (decimal.Truncate(mantissa) == mantissa)
            {
                var suffix = format == QuantityFormat.DecimalExponent
                    ? (exponent == 0 ? "" : "e" + exponent.ToString(CultureInfo.InvariantCulture))
                    : Decimal.First(d => d.Exponent == exponent).Suffix;
                return Integer(mantissa) + suffix;
            }
        }

        return Integer(value * 1_000_000_000m) + "n";
    }

    private static string Integer(decimal value) => decimal.Truncate(value).ToString("0", CultureInfo.InvariantCulture);

    // Exact in decimal; Math.Pow goes through double, which keeps only 15 digits of 2^60.
    private static decimal Pow2(int power)
    {
        var result = 1m;
        for (var i = 0; i < power; i++)
        {
            result *= 2;
        }

        return result;
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < Math.Abs(exponent); i++)
        {
            result = exponent > 0 ? result * 10 : result / 10;
        }

        return result;
    }
}
