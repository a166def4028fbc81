using RecOperator.Bench.Load;
using RecOperator.Operator.Metrics;

namespace RecOperator.Bench.Tests;

public sealed class PodLatencyPartsTests
{
    private const string Bucket = PodLatencyParts.QueueBuckets;

    [Fact]
    public void QuantileOfIncrease_CountsOnlyWhatWasObservedBetweenThePages()
    {
        // Before: 100 fast observations (<= 1 ms). In between: 100 more fast ones and 10 slow ones (40-50 ms).
        var before = Page(("0.001", 100), ("0.04", 100), ("0.05", 100), ("+Inf", 100));
        var after = Page(("0.001", 200), ("0.04", 200), ("0.05", 210), ("+Inf", 210));

        // Over the increase the 99th percentile lies among the slow ones: rank 108.9 of 110, in the 40-50 ms bucket.
        PodLatencyParts.QuantileOfIncrease(0.99, before, after, Bucket).Should().BeApproximately(0.04 + (0.01 * 8.9 / 10), 1e-9);
        // Over everything the pod ever saw it would read lower: rank 207.9 of 210.
        PodLatencyParts.QuantileOfIncrease(0.99, [], after, Bucket).Should().BeApproximately(0.04 + (0.01 * 7.9 / 10), 1e-9);
    }

    [Fact]
    public void QuantileOfIncrease_SumsLabelSetsAndIgnoresOtherSeries()
    {
        var after = Page(("0.001", 50), ("0.002", 100), ("+Inf", 100))
            .Concat(Page([("0.001", 50), ("0.002", 100), ("+Inf", 100)], "int8"))
            .Concat([new PromSample(PodLatencyParts.BatchBuckets, new Dictionary<string, string> { ["le"] = "0.001" }, 1000)])
            .ToList();

        PodLatencyParts.QuantileOfIncrease(0.5, [], after, Bucket).Should().BeApproximately(0.001, 1e-9, "half of the 200 observations are <= 1 ms");
    }

    [Fact]
    public void QuantileOfIncrease_NothingObserved_IsNaN()
    {
        var page = Page(("0.001", 7), ("+Inf", 7));
        double.IsNaN(PodLatencyParts.QuantileOfIncrease(0.99, page, page, Bucket)).Should().BeTrue();
    }

    private static List<PromSample> Page(params (string Le, double Count)[] buckets) => Page(buckets, "fp32");

    private static List<PromSample> Page((string Le, double Count)[] buckets, string variant) =>
        [.. buckets.Select(b => new PromSample(Bucket, new Dictionary<string, string> { ["model"] = "m", ["variant"] = variant, ["le"] = b.Le }, b.Count))];
}
