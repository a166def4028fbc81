using System.Text.Json.Nodes;
using RecOperator.Bench.Suite;

namespace RecOperator.Bench.Tests;

public sealed class BenchReportWriterTests
{
    private static readonly BenchReport Report = new()
    {
        Date = new DateTimeOffset(2026, 11, 22, 18, 0, 0, TimeSpan.Zero), Machine = "test CPU, 2 cores", Quick = true,
        Headline = new HeadlineFigures
        {
            ThroughputRatio = 2.345, P99Ratio = 0.25, AucDrop = 0.0004, Top10Agreement = 0.98, BaselineMaxRps = 200, OptimizedMaxRps = 469,
            FixedLoadRps = 200, BaselineP99Ms = 40, OptimizedP99Ms = 10,
        },
        Figures =
        [
            new("components", "batching on / off", 3.5, "x", "20 | candidates"),
            new("gpu", "GPU figures", double.NaN, "", "not measured on this host:\nno CUDA"),
        ],
        Notes = ["one note"],
    };

    [Fact]
    public void Json_Report_HeadlineUnderItsKeysAndUnmeasuredFiguresNull()
    {
        var root = JsonNode.Parse(BenchReportWriter.Json(Report))!;

        root["headline"]!["throughputRatio"]!.GetValue<double>().Should().Be(2.345);
        root["headline"]!["p99Ratio"]!.GetValue<double>().Should().Be(0.25);
        root["headline"]!["aucDrop"]!.GetValue<double>().Should().Be(0.0004);
        root["figures"]!.AsArray().Should().HaveCount(2);
        root["figures"]![1]!["value"].Should().BeNull("JSON has no NaN");
        root["quick"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public void Json_NoHeadline_NullNotMissing() =>
        JsonNode.Parse(BenchReportWriter.Json(Report with { Headline = null }))!.AsObject().ContainsKey("headline").Should().BeTrue();

    [Fact]
    public void Markdown_Report_HeadlineSentenceAndOneTableRowPerFigureWithCellsEscaped()
    {
        var lines = BenchReportWriter.Markdown(Report).Split('\n');

        lines.Should().Contain(l => l.StartsWith("**Headline:** throughput at the SLO 2.35x", StringComparison.Ordinal));
        lines.Should().Contain("| components | batching on / off | 3.50 x | 20 \\| candidates |");
        lines.Should().Contain("| gpu | GPU figures | — | not measured on this host: no CUDA |");
        lines.Should().Contain("- one note");
    }
}
