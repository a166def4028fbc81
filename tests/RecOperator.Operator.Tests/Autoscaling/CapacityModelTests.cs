using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Tests.Autoscaling;

public sealed class CapacityModelTests
{
    private const double Profile = 400;
    private const double Slo = 25;

    [Theory]
    [InlineData(400, 30, CapacitySource.Observed, 0, 380)]
    [InlineData(400, 50, CapacitySource.Observed, 0, 200)]
    [InlineData(500, 20, CapacitySource.Observed, 400.0001, 500)]
    [InlineData(100, 10, CapacitySource.Profile, 400, 400)]
    [InlineData(double.NaN, 10, CapacitySource.Profile, 400, 400)]
    public void Update_Observation_MovesEstimateAsExpected(double qps, double p99, CapacitySource source, double low, double high)
    {
        var next = CapacityModel.Update(CapacityEstimate.FromProfile(Profile), Profile, Slo, new CapacityObservation(qps, p99));

        next.Source.Should().Be(source);
        next.QpsPerReplica.Should().BeInRange(low, high);
    }

    [Theory]
    [InlineData(null, 400)]
    [InlineData(25.0, 400)]
    [InlineData(30.0, 400)]
    [InlineData(24.0, 416.6667)]
    [InlineData(9.0, 440)]
    public void FromProfile_ProfileP99BelowSlo_AddsBoundedSlack(double? profileP99Ms, double expected)
    {
        var estimate = CapacityModel.FromProfile(Profile, profileP99Ms, Slo);

        estimate.Source.Should().Be(CapacitySource.Profile);
        estimate.QpsPerReplica.Should().BeApproximately(expected, 1e-3);
    }

    [Fact]
    public void Update_RepeatedSloBreaches_StopsAtLowerBound()
    {
        var estimate = CapacityEstimate.FromProfile(Profile);
        for (var i = 0; i < 50; i++)
        {
            estimate = CapacityModel.Update(estimate, Profile, Slo, new CapacityObservation(estimate.QpsPerReplica, 200));
        }

        estimate.QpsPerReplica.Should().Be(Profile * CapacityModel.LowerBound);
    }

    [Fact]
    public void Update_RepeatedHighLoadWithinSlo_StopsAtUpperBound()
    {
        var estimate = CapacityEstimate.FromProfile(Profile);
        for (var i = 0; i < 200; i++)
        {
            estimate = CapacityModel.Update(estimate, Profile, Slo, new CapacityObservation(estimate.QpsPerReplica * 1.5, 10));
        }

        estimate.QpsPerReplica.Should().Be(Profile * CapacityModel.UpperBound);
        estimate.Source.Should().Be(CapacitySource.Observed);
    }
}
