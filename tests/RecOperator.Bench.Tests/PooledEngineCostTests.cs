using RecOperator.Bench.Load;

namespace RecOperator.Bench.Tests;

public sealed class PooledEngineCostTests
{
    [Fact]
    public void Lines_TwoBuildsWithTheSameCpu_ReadTheSameRatioWhateverEngineSliceFollowedThem()
    {
        // Both pods spend 9 us per row; the slice after `before`'s first run was slow (11 us per row).
        var pooled = new PooledEngineCost();
        pooled.Add("before 64 rows gRPC", 64, 9e-6, 11e-6);
        pooled.Add("after 64 rows gRPC", 64, 9e-6, 7.4e-6);
        pooled.Add("before 64 rows gRPC", 64, 9e-6, 7.6e-6);
        pooled.Add("after 64 rows gRPC", 64, 9e-6, 7.5e-6);

        var lines = pooled.Lines().ToList();

        lines.Should().HaveCount(2);
        lines.Should().AllSatisfy(l => l.Should().Contain(": 0.84x (pod 9.00 us/row; median of 4 engine slices 7.55 us/row)"));
        lines[0].Should().StartWith("before 64 rows gRPC ", "in the order the builds first ran");
    }

    [Fact]
    public void Lines_RequestSizes_PoolOnlyTheEngineSlicesOfTheirOwnSize()
    {
        var pooled = new PooledEngineCost();
        pooled.Add("a 16 rows gRPC", 16, 10e-6, 8e-6);
        pooled.Add("a 256 rows gRPC", 256, 8e-6, 6e-6);

        pooled.Lines().Should().Equal(
            "a 16 rows gRPC           pod / engine rows/CPU-s, engine pooled: 0.80x (pod 10.00 us/row; median of 1 engine slices 8.00 us/row)",
            "a 256 rows gRPC          pod / engine rows/CPU-s, engine pooled: 0.75x (pod 8.00 us/row; median of 1 engine slices 6.00 us/row)");
    }

    [Theory]
    [InlineData(new double[] { 3, 1, 2 }, 2)]
    [InlineData(new double[] { 4, 1, 3, 2 }, 2.5)]
    public void Median_OddAndEvenCounts_MiddleValueOrMeanOfTheTwo(double[] values, double expected) =>
        PooledEngineCost.Median(values).Should().Be(expected);
}
