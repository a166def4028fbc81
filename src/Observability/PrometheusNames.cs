using System.Text;

namespace RecOperator.Observability;

/// <summary>Pure mapping of OpenTelemetry-style instrument and tag names to Prometheus names and label text.</summary>
public static class PrometheusNames
{
    private static readonly string[] ReservedSuffixes = ["_count", "_sum", "_bucket", "_total"];

    /// <summary>"kestrel.active_connections" becomes "kestrel_active_connections"; counters end in "_total".</summary>
    public static string MetricName(string instrumentName, MetricKind kind)
    {
        var name = Sanitize(instrumentName);
        if (kind == MetricKind.Counter)
        {
            return name.EndsWith("_total", StringComparison.Ordinal) ? name : name + "_total";
        }
        // Prometheus reserves these suffixes for histogram series (and "_total" for counters); a gauge such as
        // "dotnet.assembly.count" would read as part of a histogram, so it gets a neutral suffix.
        return kind == MetricKind.Gauge && ReservedSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal)) ? name + "_value" : name;
    }

    /// <summary>Replaces every character Prometheus does not allow with '_' and keeps a leading letter.</summary>
    public static string Sanitize(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var builder = new StringBuilder(name.Length + 1);
        if (!char.IsAsciiLetter(name[0]) && name[0] != '_')
        {
            builder.Append('_');
        }
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }
        return builder.ToString();
    }

    /// <summary>Label value escaping of the text format: backslash, double quote and newline.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>HELP text escaping: backslash and newline.</summary>
    public static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Renders tags as sorted label pairs without braces: <c>code="200",model="m"</c>; empty for none.</summary>
    public static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return "";
        }
        var pairs = new KeyValuePair<string, string>[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            pairs[i] = new(Sanitize(tags[i].Key), Convert.ToString(tags[i].Value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
        }
        Array.Sort(pairs, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var builder = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (builder.Length > 0)
            {
                builder.Append(',');
            }
            builder.Append(key).Append("=\"").Append(EscapeLabelValue(value)).Append('"');
        }
        return builder.ToString();
    }

    /// <summary>Numbers as Prometheus reads them: invariant, shortest round-trip, +Inf/-Inf/NaN spelled out.</summary>
    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
    };
}
