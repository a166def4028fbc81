using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Desired;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>Integer weights keep the plan's proportions per variant; degenerate inputs still route somewhere.</summary>
public sealed class RoutingWeightsTests
{
    [Fact]
    public void FromShares_PairsOfOneVariant_AreSummed()
    {
        var shares = new Dictionary<PlacementKey, double> { [new("a", "p")] = 0.3, [new("a", "q")] = 0.2, [new("b", "p")] = 0.5 };

        RoutingWeights.FromShares(shares, ["a", "b"]).Should().Equal(new Dictionary<string, int> { ["a"] = 500, ["b"] = 500 });
    }

    [Fact]
    public void FromShares_VariantWithoutShare_GetsZero()
    {
        RoutingWeights.FromShares(new Dictionary<PlacementKey, double> { [new("a", "p")] = 1 }, ["a", "b"])
            .Should().Equal(new Dictionary<string, int> { ["a"] = 1000, ["b"] = 0 });
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void FromShares_NoUsableShare_SplitsEvenly(double share)
    {
        RoutingWeights.FromShares(new Dictionary<PlacementKey, double> { [new("a", "p")] = share }, ["a", "b"])
            .Should().Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 });
    }
}
