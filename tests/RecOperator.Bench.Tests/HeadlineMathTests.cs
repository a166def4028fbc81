using RecOperator.Bench.Load;
using RecOperator.Bench.Suite;

namespace RecOperator.Bench.Tests;

public sealed class HeadlineMathTests
{
    [Fact]
    public void Ratios_OptimizedHoldsMore_ThroughputOverBestRatesAndP99AtTheBaselinesLastHeldRate()
    {
        var baseline = Ladder((100, 10), (200, 30), (400, 90));
        var optimized = Ladder((100, 4), (200, 6), (400, 9), (800, 20), (1600, 70));

        var ratios = HeadlineMath.Ratios(baseline, optimized, sloMs: 50)!.Value;

        ratios.FixedRate.Should().Be(200, "the highest rate both held");
        ratios.P99Ratio.Should().BeApproximately(6.0 / 30, 1e-9);
        ratios.ThroughputRatio.Should().BeApproximately(800.0 / 200, 1e-9, "each pod's best held rate, as measured");
    }

    [Fact]
    public void Ratios_BaselineBreaksTheSloAtItsFirstRate_NoRatio() =>
        HeadlineMath.Ratios(Ladder((100, 60)), Ladder((100, 5)), sloMs: 50).Should().BeNull();

    [Fact]
    public void Held_FailuresAtARate_StopTheLadderThereEvenUnderTheSlo()
    {
        var ladder = new List<(double, LoadResult)> { (100, Result(100, 5)), (200, Result(200, 5) with { Failed = 3 }), (400, Result(400, 5)) };

        HeadlineMath.Held(ladder, 50).Select(r => r.Rate).Should().Equal(100);
    }

    private static List<(double Rate, LoadResult Result)> Ladder(params (double Rate, double P99)[] steps) =>
        [.. steps.Select(s => (s.Rate, Result(s.Rate, s.P99)))];

    // One second of requests at the rate, every latency equal to the p99.
    private static LoadResult Result(double rate, double p99) =>
        new($"@{rate}", (int)rate, 0, TimeSpan.FromSeconds(1), Enumerable.Repeat(p99, (int)rate).ToArray(), (long)rate * 100, 1);
}
