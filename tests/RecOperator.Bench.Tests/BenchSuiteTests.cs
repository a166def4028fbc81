using RecOperator.Bench.Suite;
using RecOperator.Tests.Shared;

namespace RecOperator.Bench.Tests;

/// <summary>The suite's sections for real (pods over 127.0.0.1, the optimizer, the simulator), with short steps.</summary>
public sealed class BenchSuiteTests
{
    private static readonly string RecopAssembly = Path.Combine(AppContext.BaseDirectory, "recop.dll");

    [Fact]
    public async Task RunAsync_OperatorSection_RecopOperatorReconcilesEveryCopyAndReportsItsMemory()
    {
        var options = BenchOptions.QuickRun with { Sections = new HashSet<string> { "operator" }, RepositoryRoot = RepoPaths.Root, OperatorModels = 20 };
        using var log = new StringWriter();

        var report = await BenchSuite.RunAsync(options, RecopAssembly, log, CancellationToken.None);

        report.Figures.Should().HaveCount(4, log.ToString());
        report.Figures[0].Name.Should().Be("first pass over 20 RecModels, reconciles per second");
        report.Figures[0].Value.Should().BeGreaterThan(0);
        report.Figures[1].Name.Should().Be("API requests per RecModel in the first pass over 20");
        report.Figures[1].Value.Should().BeInRange(5, 1000, "each model is read, its children applied and its status written at least once");
        report.Figures[2].Name.Should().Be("API requests per reconcile of a settled RecModel");
        report.Figures[2].Value.Should().BeInRange(1, 100, "a reconcile reads the model at least");
        report.Figures[3].Value.Should().BeInRange(10, 2000, "MB of a .NET process");
        log.ToString().Should().MatchRegex(@"20 RecModels reconciled in [0-9.]+ s \([0-9]+ Deployments; [0-9]+ reconciles, [0-9]+ API requests\)");
    }

    [Fact]
    public async Task RunAsync_HeadlineWithAGenerousSlo_BothLaddersHoldAndEveryHeadlineFigureIsThere()
    {
        var options = BenchOptions.QuickRun with
        {
            Sections = new HashSet<string> { "headline" }, Rates = [10, 20], StepDuration = TimeSpan.FromSeconds(1), Candidates = 20, SloMs = 10_000,
        };
        using var log = new StringWriter();

        var report = await BenchSuite.RunAsync(options, RecopAssembly, log, CancellationToken.None);

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
            Sections = new HashSet<string> { "autoscaler", "gpu" }, RepositoryRoot = RepoPaths.Root,
        };
        using var log = new StringWriter();

        var report = await BenchSuite.RunAsync(options, RecopAssembly, log, CancellationToken.None);

        report.Figures.Where(f => f.Section == "autoscaler").Select(f => f.Name.Split(':')[0]).Should().Equal("diurnal", "step", "ramp", "spot-loss");
        report.Figures.Where(f => f.Section == "autoscaler").Should().OnlyContain(f => f.Value > 0 && f.Value < 2);
        report.Figures.Should().ContainSingle(f => f.Section == "gpu").Which.Detail.Should().MatchRegex("^(not measured on this host: |measured: )");
        report.Headline.Should().BeNull();
    }
}
