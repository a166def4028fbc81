using RecOperator.Operator.Simulation;

namespace RecOperator.Operator.Tests.Simulation;

public sealed class LatencyCurveFitTests
{
    private static readonly double[] Utilisations = [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95];

    [Theory]
    [InlineData(1000, 5, 1)]
    [InlineData(8000, 9, 0.8)]
    [InlineData(529.4, 7.2, 1.9)]
    [InlineData(200, 20, 0.1)]
    public void Fit_PointsOnAKnownCurve_RecoversIt(double saturation, double baseMs, double factorMs)
    {
        var truth = new LatencyCurve(saturation, baseMs, factorMs);
        var points = Utilisations.Select(u => LatencyPoint.OnCurve(u * saturation, truth.P99Ms(u))).ToList();

        var fit = LatencyCurveFit.Fit(points);

        fit.Curve.SaturationQps.Should().BeApproximately(saturation, 0.01 * saturation);
        fit.Curve.BaseP99Ms.Should().BeApproximately(baseMs, 0.01 * baseMs);
        fit.Curve.QueueFactorMs.Should().BeApproximately(factorMs, 0.03 * factorMs);
        fit.PointsUsed.Should().Be(points.Count);
        fit.RmsRelativeError.Should().BeLessThan(0.005);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Fit_NoisyPoints_TracksTheTrueCurveWhereMeasured(int seed)
    {
        var truth = new LatencyCurve(6000, 8, 1.5);
        var random = new Random(seed);
        var rates = Enumerable.Range(1, 12).Select(i => i * 0.075 * truth.SaturationQps).ToList();
        var points = rates.Select(q => LatencyPoint.OnCurve(q, truth.P99Ms(q / truth.SaturationQps) * (1 + (0.1 * (random.NextDouble() - 0.5))))).ToList();

        var fit = LatencyCurveFit.Fit(points);

        // +-5% noise on each p99: the fitted curve stays within 10% of the truth over the measured range.
        foreach (var q in rates)
        {
            fit.Curve.P99Ms(q / fit.Curve.SaturationQps).Should().BeApproximately(truth.P99Ms(q / truth.SaturationQps), 0.1 * truth.P99Ms(q / truth.SaturationQps), $"at {q:F0} QPS");
        }

        fit.RmsRelativeError.Should().BeLessThan(0.05);
    }

    [Fact]
    public void Fit_ARateTheReplicaFellBehindAt_BoundsSaturation()
    {
        // p99 still almost flat at 900 QPS, but the replica could not serve 1000: saturation is no higher than 1000.
        List<LatencyPoint> points =
        [
            LatencyPoint.OnCurve(200, 5.0), LatencyPoint.OnCurve(500, 5.2), LatencyPoint.OnCurve(900, 5.6),
            new(1000, 880, 2400, 0),
        ];

        var fit = LatencyCurveFit.Fit(points);

        fit.Curve.SaturationQps.Should().BeInRange(900, 1000);
        fit.PointsUsed.Should().Be(3, "the point behind the arrivals measured the run's length, not the queue");
    }

    [Fact]
    public void Fit_LatencyFallingWithLoad_GivesAFlatCurveAtTheWeightedMean()
    {
        List<LatencyPoint> points = [LatencyPoint.OnCurve(100, 10), LatencyPoint.OnCurve(200, 9), LatencyPoint.OnCurve(300, 8)];

        var curve = LatencyCurve.Fit(points);

        curve.QueueFactorMs.Should().Be(0, "a curve that falls with load is noise; the best non-decreasing fit is flat");
        curve.BaseP99Ms.Should().BeInRange(8, 10);
    }

    [Fact]
    public void Fit_AWarmUpOutlierAtTheLowestRate_StillRisesThroughTheKnee()
    {
        List<LatencyPoint> points =
        [
            LatencyPoint.OnCurve(100, 30), LatencyPoint.OnCurve(200, 6), LatencyPoint.OnCurve(400, 6.5),
            LatencyPoint.OnCurve(600, 8), LatencyPoint.OnCurve(800, 14),
        ];

        var curve = LatencyCurve.Fit(points);
        var p99s = Enumerable.Range(1, 8).Select(i => curve.P99Ms(i * 100 / curve.SaturationQps)).ToList();

        p99s.Should().BeInAscendingOrder();
        curve.QueueFactorMs.Should().BeGreaterThan(0);
        p99s[^1].Should().BeGreaterThan(1.8 * p99s[1], "the knee at 800 QPS is in four of the five points");
    }

    [Theory]
    [InlineData(0, 0, "got 0 of 0 points")]
    [InlineData(2, 0, "got 2 of 2 points")]
    [InlineData(2, 3, "got 2 of 5 points")]
    public void Fit_TooFewRatesKeptUpWith_NamesWhatIsMissing(int keptUp, int behind, string expected)
    {
        var points = Enumerable.Range(1, keptUp).Select(i => LatencyPoint.OnCurve(i * 100, 5 + i))
            .Concat(Enumerable.Range(1, behind).Select(i => new LatencyPoint(1000 * i, 500, 900, 0))).ToList();

        var act = () => LatencyCurveFit.Fit(points);

        act.Should().Throw<ArgumentException>().WithMessage($"*needs points at 3 or more distinct offered rates*{expected}*");
    }

    [Fact]
    public void Fit_ThreePointsAtOneRate_CountsOneRate()
    {
        List<LatencyPoint> points = [LatencyPoint.OnCurve(100, 5), LatencyPoint.OnCurve(100, 6), LatencyPoint.OnCurve(100, 7)];

        var act = () => LatencyCurveFit.Fit(points);

        act.Should().Throw<ArgumentException>().WithMessage("*got 1 of 3 points*");
    }

    [Theory]
    [InlineData(double.NaN, 100, 5, "points[1].offeredQps must be a positive number, got NaN")]
    [InlineData(-5, 100, 5, "points[1].offeredQps must be a positive number, got -5")]
    [InlineData(200, -1, 5, "points[1].servedQps must be a non-negative number, got -1")]
    [InlineData(200, 200, 0, "points[1].p99Ms must be a positive number, got 0")]
    public void Fit_BadPoint_NamesItsIndexAndField(double offered, double served, double p99, string expected)
    {
        List<LatencyPoint> points = [LatencyPoint.OnCurve(100, 5), new(offered, served, p99), LatencyPoint.OnCurve(300, 6), LatencyPoint.OnCurve(400, 8)];

        var act = () => LatencyCurveFit.Fit(points);

        act.Should().Throw<ArgumentException>().WithMessage($"*{expected}*");
    }

    [Theory]
    [InlineData(0.85, 0.4)]
    [InlineData(0.6, 0.75)]
    [InlineData(0.95, 0.2)]
    public void Calibrate_AShape_PassesThroughTheProfileAndKeepsTheShape(double utilisation, double baseFraction)
    {
        var shape = new LatencyShape(utilisation, baseFraction);

        var curve = LatencyCurve.Calibrate(450, 18, shape);

        curve.P99Ms(450 / curve.SaturationQps).Should().BeApproximately(18, 1e-9);
        var back = LatencyShape.Of(curve, 450);
        back.ProfileUtilisation.Should().BeApproximately(utilisation, 1e-9);
        back.BaseFraction.Should().BeApproximately(baseFraction, 1e-9);
    }
}
