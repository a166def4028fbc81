using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecOperator.Bench.Suite;

/// <summary>The report as the markdown table of bench/results and as the JSON file (with the headline under "headline").</summary>
public static class BenchReportWriter
{
    public static string Markdown(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# `recop bench{(report.Quick ? " --quick" : "")}`, {report.Date:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {report.Machine}.");
        text.AppendLine();
        if (report.Headline is { } h)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"**Headline:** throughput at the SLO {h.ThroughputRatio:F2}x the baseline (paper 2.1x), p99 at {h.FixedLoadRps:F0} req/s {h.P99Ratio:F2}x " +
                $"(paper <= 0.3x), AUC drop {h.AucDrop:F5}, top-10 agreement {h.Top10Agreement:F3}.");
            text.AppendLine();
        }
        text.AppendLine("| section | figure | value | how |");
        text.AppendLine("| --- | --- | --- | --- |");
        foreach (var f in report.Figures)
        {
            var value = double.IsNaN(f.Value) ? "—" : f.Value.ToString(Math.Abs(f.Value) >= 100 ? "N0" : "0.00###", CultureInfo.InvariantCulture) + (f.Unit.Length > 0 ? " " + f.Unit : "");
            text.AppendLine(CultureInfo.InvariantCulture, $"| {f.Section} | {Cell(f.Name)} | {value} | {Cell(f.Detail)} |");
        }
        text.AppendLine();
        foreach (var note in report.Notes)
        {
            text.AppendLine("- " + note);
        }
        return text.ToString();
    }

    public static string Json(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var root = new JsonObject
        {
            ["date"] = report.Date.ToString("O", CultureInfo.InvariantCulture),
            ["machine"] = report.Machine,
            ["quick"] = report.Quick,
            ["headline"] = report.Headline is { } h
                ? new JsonObject
                {
                    ["throughputRatio"] = Number(h.ThroughputRatio), ["p99Ratio"] = Number(h.P99Ratio), ["aucDrop"] = Number(h.AucDrop),
                    ["top10Agreement"] = Number(h.Top10Agreement), ["baselineMaxRps"] = Number(h.BaselineMaxRps), ["optimizedMaxRps"] = Number(h.OptimizedMaxRps),
                    ["fixedLoadRps"] = Number(h.FixedLoadRps), ["baselineP99Ms"] = Number(h.BaselineP99Ms), ["optimizedP99Ms"] = Number(h.OptimizedP99Ms),
                }
                : null,
            ["figures"] = new JsonArray([.. report.Figures.Select(f => (JsonNode)new JsonObject
            {
                ["section"] = f.Section, ["name"] = f.Name, ["value"] = Number(f.Value), ["unit"] = f.Unit, ["detail"] = f.Detail,
            })]),
            ["notes"] = new JsonArray([.. report.Notes.Select(n => (JsonNode)JsonValue.Create(n))]),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    // JSON has no NaN: a figure that was not measured is null.
    private static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(Math.Round(value, 6)) : null;

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
