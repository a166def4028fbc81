using RecOperator.Operator.Reconciling;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>What the operator writes into status is rounded to a precision a reader can use; what JSON cannot hold is null.</summary>
public sealed class StatusFiguresTests
{
    [Theory]
    [InlineData(14.666486071511999, 14.67)]
    [InlineData(0.004, 0)]
    [InlineData(12345.675, 12345.68)]
    [InlineData(0, 0)]
    public void Qps_RawRate_RoundsToHundredths(double raw, double written) => StatusFigures.Qps(raw).Should().Be(written);

    [Theory]
    [InlineData(18.688123456, 18.69)]
    [InlineData(0.8049, 0.8)]
    public void LatencyMs_RawQuantile_RoundsToHundredthsOfAMillisecond(double raw, double written) => StatusFigures.LatencyMs(raw).Should().Be(written);

    [Theory]
    [InlineData(0.27999999999999997, 0.28)]
    [InlineData(0.04 * 3, 0.12)]
    [InlineData(0.00415, 0.0042)]
    public void Cost_SumOfPrices_RoundsToFourDecimals(double raw, double written) => StatusFigures.Cost(raw).Should().Be(written);

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(null)]
    public void Qps_NotAFiniteNumber_IsNull(double? raw) => StatusFigures.Qps(raw).Should().BeNull();
}
