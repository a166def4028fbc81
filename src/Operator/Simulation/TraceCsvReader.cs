using System.Globalization;

namespace RecOperator.Operator.Simulation;

/// <summary>Reads a trace from CSV: a header <c>time_s,qps[,event]</c>, events <c>pool-down:NAME</c> / <c>pool-up:NAME</c>.</summary>
public static class TraceCsvReader
{
    public static Trace Read(string name, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n').Select(l => l.Trim()).ToList();
        var header = lines.FirstOrDefault()?.Split(',').Select(h => h.Trim()).ToArray() ?? [];
        if (header.Length < 2 || header[0] != "time_s" || header[1] != "qps")
        {
            throw new FormatException("trace CSV: the header must start with time_s,qps");
        }

        var samples = new List<TraceSample>();
        var events = new List<TraceEvent>();
        for (var i = 1; i < lines.Count; i++)
        {
            if (lines[i].Length == 0 || lines[i].StartsWith('#'))
            {
                continue;
            }

            var cells = lines[i].Split(',').Select(c => c.Trim()).ToArray();
            var time = Number(cells, 0, "time_s", i + 1);
            if (samples.Count > 0 && time < samples[^1].TimeSeconds)
            {
                throw new FormatException($"trace CSV line {i + 1}: time_s {time} goes back in time");
            }

            if (cells.Length > 1 && cells[1].Length > 0)
            {
                var qps = Number(cells, 1, "qps", i + 1);
                samples.Add(new TraceSample(time, qps < 0 ? throw new FormatException($"trace CSV line {i + 1}: qps must be >= 0") : qps));
            }

            if (cells.Length > 2 && cells[2].Length > 0)
            {
                events.Add(ParseEvent(cells[2], time, i + 1));
            }
        }

        return samples.Count == 0 ? throw new FormatException("trace CSV: no qps samples") : new Trace { Name = name, Samples = samples, Events = events };
    }

    private static double Number(string[] cells, int index, string field, int line) =>
        cells.Length > index && double.TryParse(cells[index], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw new FormatException($"trace CSV line {line}: {field} is not a number");

    private static TraceEvent ParseEvent(string cell, double time, int line)
    {
        var parts = cell.Split(':', 2);
        var kind = parts[0] switch
        {
            "pool-down" => TraceEventKind.PoolDown,
            "pool-up" => TraceEventKind.PoolUp,
            _ => throw new FormatException($"trace CSV line {line}: event must be pool-down:NAME or pool-up:NAME, got '{cell}'"),
        };
        return parts.Length < 2 || parts[1].Length == 0
            ? throw new FormatException($"trace CSV line {line}: event '{cell}' names no pool")
            : new TraceEvent(time, kind, parts[1]);
    }
}
