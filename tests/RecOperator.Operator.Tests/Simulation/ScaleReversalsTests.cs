using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Simulation;

namespace RecOperator.Operator.Tests.Simulation;

public sealed class ScaleReversalsTests
{
    private static readonly PlacementKey Spot = new("cpu-int8", "cpu-spot");
    private static readonly PlacementKey OnDemand = new("cpu-int8", "cpu-ondemand");

    [Fact]
    public void Observe_ARemovalAddedBackWithinTheWindow_CountsOneReversal()
    {
        var reversals = new ScaleReversals();

        reversals.Observe(0, new Dictionary<PlacementKey, int> { [OnDemand] = 2, [Spot] = 2 });
        reversals.Observe(5, new Dictionary<PlacementKey, int> { [OnDemand] = 2 });
        reversals.Observe(20, new Dictionary<PlacementKey, int> { [OnDemand] = 2, [Spot] = 1 });

        reversals.Count.Should().Be(1, "spot went 2 -> 0 and back to 1 fifteen seconds later");
    }

    [Fact]
    public void Observe_MovesInOneDirectionOrFarApart_CountsNone()
    {
        var reversals = new ScaleReversals();

        reversals.Observe(0, new Dictionary<PlacementKey, int> { [Spot] = 1 });
        reversals.Observe(5, new Dictionary<PlacementKey, int> { [Spot] = 3 });
        reversals.Observe(10, new Dictionary<PlacementKey, int> { [Spot] = 3, [OnDemand] = 1 });
        reversals.Observe(10 + ScaleReversals.Window.TotalSeconds + 5, new Dictionary<PlacementKey, int> { [Spot] = 2, [OnDemand] = 1 });

        reversals.Count.Should().Be(0, "growth, an unrelated placement, and a removal more than a window after the last addition are separate moves");
    }

    [Fact]
    public void Observe_AnAdditionTakenBack_CountsForEachPlacementThatTurned()
    {
        var reversals = new ScaleReversals();

        reversals.Observe(0, new Dictionary<PlacementKey, int> { [OnDemand] = 1, [Spot] = 1 });
        reversals.Observe(5, new Dictionary<PlacementKey, int> { [OnDemand] = 2, [Spot] = 2 });
        reversals.Observe(10, new Dictionary<PlacementKey, int> { [OnDemand] = 1, [Spot] = 1 });

        reversals.Count.Should().Be(2);
    }
}
