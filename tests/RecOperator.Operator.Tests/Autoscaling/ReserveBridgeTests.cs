using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Tests.Autoscaling;

/// <summary>
/// The fast placement that covers a reserve while it starts: only where it can be faster than what it covers.
/// </summary>
public sealed class ReserveBridgeTests
{
    private static readonly PlacementKey Spot = new("cpu-int8", "cpu-spot");
    private static readonly PlacementKey OnDemand = new("cpu-int8", "cpu-ondemand");
    private static readonly PlacementKey Gpu = new("gpu-fp16", "gpu");

    private static readonly PlacementProblem Problem = new()
    {
        Variants = [new("cpu-int8", 450, 0, 40, ["cpu-spot", "cpu-ondemand"]), new("gpu-fp16", 6000, 0, 8, ["gpu"])],
        Pools = [new("cpu-spot", 0.04, 40, Preemptible: true), new("cpu-ondemand", 0.12, null), new("gpu", 1.10, 8)],
        DemandQps = 1200,
    };

    private static readonly Placement Plain = new() { Replicas = new Dictionary<PlacementKey, int> { [Spot] = 3 } };

    [Fact]
    public void Apply_ReserveIsTheSameVariantStartingInAnotherPool_NoBridge()
    {
        // int8 on-demand replicas start exactly as fast as int8 spot ones would: a bridge would be added, and retired
        // a few seconds later, for nothing.
        var goal = new Dictionary<PlacementKey, int> { [OnDemand] = 3 };
        var reasons = new List<string>();

        var bridged = ReserveBridge.Apply(goal, Plain, Problem, 1000, new Dictionary<PlacementKey, ReplicaCounts>(), reasons);

        bridged.Should().Equal(goal);
        reasons.Should().BeEmpty();
    }

    [Theory]
    [InlineData("a GPU reserve starts beside ready int8 replicas", 2)]
    [InlineData("a GPU reserve and int8 replicas start together", 0)]
    public void Apply_AnotherVariantStartsToo_BridgesWithTheFastPlacement(string scenario, int onDemandReady)
    {
        var goal = new Dictionary<PlacementKey, int> { [OnDemand] = 2, [Gpu] = 1 };
        var actual = new Dictionary<PlacementKey, ReplicaCounts> { [OnDemand] = new(onDemandReady, 0) };
        var reasons = new List<string>();

        var bridged = ReserveBridge.Apply(goal, Plain, Problem, 1000, actual, reasons);

        bridged.GetValueOrDefault(Spot).Should().Be(3, scenario);
        reasons.Should().ContainSingle(r => r.StartsWith("ReserveBridge", StringComparison.Ordinal), scenario);
    }
}
