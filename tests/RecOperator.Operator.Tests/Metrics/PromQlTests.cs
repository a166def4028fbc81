using RecOperator.Operator.Metrics;

namespace RecOperator.Operator.Tests.Metrics;

public sealed class PromQlTests
{
    private static CounterPoint[] Points(params double[] pairs) =>
        [.. Enumerable.Range(0, pairs.Length / 2).Select(i => new CounterPoint(pairs[2 * i], pairs[(2 * i) + 1]))];

    [Theory]
    // Scrapes every 15 s at 10/s covering the whole 60 s range: exactly 10/s.
    [InlineData(new double[] { 0, 1000, 15, 1150, 30, 1300, 45, 1450, 60, 1600 }, 0, 60, 10)]
    // Points 5 s inside each end: extrapolated to the ends (5 s < 1.1 x 15 s), still 10/s.
    [InlineData(new double[] { 5, 1000, 20, 1150, 35, 1300, 50, 1450 }, 0, 55, 10)]
    // A counter reset (restart) between 15 and 30 s is bridged.
    [InlineData(new double[] { 0, 1000, 15, 1150, 30, 150, 45, 300, 60, 450 }, 0, 60, 10)]
    // A counter starting near zero is not extrapolated below zero: it would reach 0 at t=14, so 6 s, not 20.
    [InlineData(new double[] { 20, 10, 35, 35, 50, 60 }, 0, 50, 1.2)]
    // The start is too far (20 s > 1.1 x 15 s): extrapolate half an interval only.
    [InlineData(new double[] { 20, 50, 35, 75, 50, 100 }, 0, 50, 1.25)]
    public void Rate_Points_MatchesPrometheus(double[] pairs, double start, double end, double expected)
    {
        PromQl.Rate(Points(pairs), start, end).Should().BeApproximately(expected, 1e-9);
    }

    [Fact]
    public void Rate_OnePoint_IsNaN()
    {
        double.IsNaN(PromQl.Rate(Points(0, 5), 0, 60)).Should().BeTrue();
    }

    [Theory]
    [InlineData(0.5, 0.1375)]
    [InlineData(0.9, 0.3815789473684211)]
    [InlineData(1.0, 0.5)]
    [InlineData(0.0, 0.0)]
    [InlineData(-1, double.NegativeInfinity)]
    [InlineData(2, double.PositiveInfinity)]
    public void HistogramQuantile_Buckets_InterpolatesLinearly(double q, double expected)
    {
        // 100 observations: 40 <= 0.1, 80 <= 0.25, 99 <= 0.5, 100 in +Inf.
        HistogramBucket[] buckets = [new(0.25, 80), new(0.1, 40), new(0.5, 99), new(double.PositiveInfinity, 100)];

        PromQl.HistogramQuantile(q, buckets).Should().BeApproximately(expected, 1e-9);
    }

    [Fact]
    public void HistogramQuantile_RankInInfBucket_GivesLargestFiniteBound()
    {
        HistogramBucket[] buckets = [new(0.1, 1), new(0.5, 2), new(double.PositiveInfinity, 100)];

        PromQl.HistogramQuantile(0.99, buckets).Should().Be(0.5);
    }

    [Theory]
    [InlineData(false, 10)]
    [InlineData(true, 0)]
    public void HistogramQuantile_NoInfBucketOrNoObservations_IsNaN(bool withInf, double count)
    {
        HistogramBucket[] buckets = withInf ? [new(0.1, count), new(double.PositiveInfinity, count)] : [new(0.1, count), new(0.5, count)];

        double.IsNaN(PromQl.HistogramQuantile(0.5, buckets)).Should().BeTrue();
    }
}
