using System.Globalization;
using System.Text;

namespace RecOperator.Operator.Metrics;

/// <summary>Parses the Prometheus text exposition format (0.0.4): comments skipped, label escapes, NaN and ±Inf.</summary>
public static class PrometheusTextParser
{
    public static IReadOnlyList<PromSample> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<PromSample>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            samples.Add(ParseLine(line, lineNumber));
        }

        return samples;
    }

    private static PromSample ParseLine(string line, int number)
    {
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ' && line[i] != '\t')
        {
            i++;
        }

        var name = line[..i];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i = ParseLabels(line, i + 1, labels, number);
        }

        var rest = line[i..].Trim().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (name.Length == 0 || rest.Length == 0)
        {
            throw new FormatException($"metrics line {number}: expected 'name{{labels}} value'");
        }

        return new PromSample(name, labels, ParseValue(rest[0], number));
    }

    private static int ParseLabels(string line, int i, Dictionary<string, string> labels, int number)
    {
        while (i < line.Length && line[i] != '}')
        {
            var eq = line.IndexOf('=', i);
            if (eq < 0 || eq + 1 >= line.Length || line[eq + 1] != '"')
            {
                throw new FormatException($"metrics line {number}: malformed label set");
            }

            var key = line[i..eq].Trim().TrimStart(',').Trim();
            var value = new StringBuilder();
            var j = eq + 2;
            for (; j < line.Length && line[j] != '"'; j++)
            {
                // The format escapes only backslash, double quote and newline.
                value.Append(line[j] == '\\' && j + 1 < line.Length ? line[++j] switch { 'n' => '\n', var c => c } : line[j]);
            }

            if (j >= line.Length)
            {
                throw new FormatException($"metrics line {number}: unterminated label value");
            }

            labels[key] = value.ToString();
            i = j + 1;
            while (i < line.Length && (line[i] == ',' || line[i] == ' '))
            {
                i++;
            }
        }

        return i < line.Length ? i + 1 : throw new FormatException($"metrics line {number}: missing '}}'");
    }

    private static double ParseValue(string text, int number) => text switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"metrics line {number}: value '{text}' is not a number"),
    };
}
