using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Tests.Autoscaling;

public sealed class ReservePlacementTests
{
    private static readonly PlacementProblem Problem = new()
    {
        Variants = [new VariantCandidate("int8", 100, 0, 100, ["spot", "ondemand"])],
        Pools = [new PoolCandidate("spot", 1, 40, Preemptible: true), new PoolCandidate("ondemand", 3, null)],
        DemandQps = 1200,
        MinTotalReplicas = 2,
    };

    [Theory]
    [InlineData(0, 0, 12)]
    [InlineData(1000, 10, 2)]
    [InlineData(500, 5, 7)]
    public void Solve_Reserve_KeepsThatCapacityOutsidePreemptiblePoolsAndTheRestOnSpot(double reserveQps, int ondemand, int spot)
    {
        var placement = ReservePlacement.Solve(Problem, reserveQps);

        placement.Get(new PlacementKey("int8", "ondemand")).Should().Be(ondemand);
        placement.Get(new PlacementKey("int8", "spot")).Should().Be(spot);
        placement.CapacityQps.Should().BeGreaterThanOrEqualTo(1200);
        placement.CostPerHour.Should().Be((ondemand * 3) + spot);
    }
}
