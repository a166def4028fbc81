using RecOperator.Bench.Suite;
using RecOperator.Tests.Shared;

namespace RecOperator.Bench.Tests;

/// <summary>The suite's sections for real (pods over 127.0.0.1, the optimizer, the simulator), with short steps.</summary>
public sealed class BenchSuiteTests
{
    [Fact]
    public async Task RunAsync_HeadlineWithAGenerousSlo_BothLaddersHoldAndEveryHeadlineFigureIsThere()
    {
        var options = BenchOptions.QuickRun with
        {
            Sections = new HashSet<string> { "headline" }, Rates = [10, 20], StepDuration = TimeSpan.FromSeconds(1), Candidates = 20, SloMs = 10_000,
        };
        using var log = new StringWriter();

        var report = await BenchSuite.RunAsync(options, log, CancellationToken.None);

        report.Headline.Should().NotBeNull(log.ToString());
        var headline = report.Headline!;
        headline.FixedLoadRps.Should().Be(20);
        headline.ThroughputRatio.Should().BeGreaterThan(0);
        headline.P99Ratio.Should().BeGreaterThan(0);
        headline.Top10Agreement.Should().BeGreaterThan(0.9, "int8 keeps the ranking");
        report.Figures.Select(f => f.Section).Should().OnlyContain(s => s == "headline");
        report.Figures.Should().HaveCount(4);
        log.ToString().Should().Contain("baseline (fp32, tiled user, no batching) @ 20/s").And.Contain("optimized (int8, split user side, batching) @ 20/s");
    }

    [Fact]
    public async Task RunAsync_AutoscalerAndGpu_OneFigurePerTraceAndAGpuLineEitherWay()
    {
        var options = BenchOptions.QuickRun with
        {
            Sections = new HashSet<string> { "autoscaler", "gpu" }, SamplesFolder = RepoPaths.Combine("manifests", "samples"),
        };
        using var log = new StringWriter();

        var report = await BenchSuite.RunAsync(options, log, CancellationToken.None);

        report.Figures.Where(f => f.Section == "autoscaler").Select(f => f.Name.Split(':')[0]).Should().Equal("diurnal", "step", "ramp", "spot-loss");
        report.Figures.Where(f => f.Section == "autoscaler").Should().OnlyContain(f => f.Value > 0 && f.Value < 2);
        report.Figures.Should().ContainSingle(f => f.Section == "gpu").Which.Detail.Should().MatchRegex("^(not measured on this host: |measured: )");
        report.Headline.Should().BeNull();
    }
}
