using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Tests.Autoscaling;

/// <summary>
/// The demo's fleet (45 QPS per replica, spot reserve, minimum 2 replicas, 30 s stabilization): on the way down and
/// right after a rise, the policy must not remove a replica that the next syncs add back.
/// </summary>
public sealed class ScalingChurnTests
{
    private static readonly PlacementKey Spot = new("cpu-int8", "cpu-spot");
    private static readonly PlacementKey OnDemand = new("cpu-int8", "cpu-ondemand");
    private static readonly TimeSpan Sync = TimeSpan.FromSeconds(5);
    private readonly ManualClock _clock = new();

    private ScalingPolicy Policy() => new(_clock, new ScalingOptions { StabilizationWindow = TimeSpan.FromSeconds(30) });

    private static ScalingInput Input(double demand, IReadOnlyDictionary<PlacementKey, int> running) => new()
    {
        DemandQps = demand,
        RecentDemandQps = demand,
        Variants = [new("cpu-int8", 45, 1, 4, ["cpu-spot", "cpu-ondemand"])],
        Pools = [new("cpu-spot", 0.04, 40, Preemptible: true), new("cpu-ondemand", 0.12, null)],
        Headroom = 0.2,
        MinTotalReplicas = 2,
        SloP99Ms = 50,
        Actual = ActualReplicas.AllReady(running),
    };

    private (List<IReadOnlyDictionary<PlacementKey, int>> Replicas, List<ScalingDecision> Decisions) Run(ScalingPolicy policy, ScalingState state, IEnumerable<double> demands)
    {
        var replicas = new List<IReadOnlyDictionary<PlacementKey, int>>();
        var decisions = new List<ScalingDecision>();
        foreach (var demand in demands)
        {
            _clock.Advance(Sync);
            var decision = policy.Decide(Input(demand, state.Replicas), state);
            state = decision.State;
            replicas.Add(decision.Replicas);
            decisions.Add(decision);
        }

        return (replicas, decisions);
    }

    [Fact]
    public void Decide_StabilizedRequirementAgesOutThroughAnotherShape_KeepsTheReplicasTheEndKeeps()
    {
        var policy = Policy();
        // 89 QPS needs two on-demand replicas as the reserve and one spot for the headroom; then demand drops to 22.
        // As the window's peak ages out, the held requirement passes 84 QPS (two on-demand, no spot) on its way to
        // 26 QPS (one of each). Re-solved alone, that step removed the spot replica a sync before adding it back.
        var (replicas, decisions) = Run(policy, ScalingState.Initial, [89, 89, 89, 70, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22]);

        replicas[2].Should().Equal(new Dictionary<PlacementKey, int> { [OnDemand] = 2, [Spot] = 1 });
        // The first sync also bridges with spot while the on-demand reserve starts; from then on spot stays at one.
        replicas.Skip(1).Select(r => r.GetValueOrDefault(Spot)).Should().OnlyContain(n => n == 1, "the spot replica is part of where the fleet ends");
        replicas.Select(r => r.GetValueOrDefault(OnDemand)).Should().BeInDescendingOrder();
        replicas[^1].Should().Equal(new Dictionary<PlacementKey, int> { [OnDemand] = 1, [Spot] = 1 });
        decisions.SelectMany(d => d.Reasons).Should().Contain(r => r.StartsWith("SettledPath: keeping cpu-int8@cpu-spot 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Decide_DemandStillRising_RemovalsWaitASync()
    {
        var policy = Policy();
        // A bridge left two spot replicas beside the on-demand reserve. The recent window, still half before the rise,
        // reads 75 QPS (no spot needed); a sync later it reads 80 (one spot needed).
        var bridged = new Dictionary<PlacementKey, int> { [OnDemand] = 2, [Spot] = 2 };
        var state = ScalingState.Initial with { Replicas = bridged, LastDemandQps = 50 };

        var (replicas, decisions) = Run(policy, state, [75, 80, 80]);

        replicas[0].Should().Equal(bridged);
        decisions[0].Reasons.Should().ContainSingle(r => r.StartsWith("Rising: demand grew from 50 to 75 QPS since the last sync", StringComparison.Ordinal));
        replicas[1].Should().Equal(new Dictionary<PlacementKey, int> { [OnDemand] = 2, [Spot] = 1 }, "80 QPS measured in full needs one spot replica: only the other goes");
        replicas[2].Should().Equal(replicas[1]);
    }

    [Fact]
    public void Decide_SteadyDemandAfterAMove_RemovesWithoutWaiting()
    {
        var policy = Policy();
        var state = ScalingState.Initial with { Replicas = new Dictionary<PlacementKey, int> { [OnDemand] = 2, [Spot] = 2 }, LastDemandQps = 74 };

        var (replicas, decisions) = Run(policy, state, [75]);

        replicas[0].Should().Equal(new Dictionary<PlacementKey, int> { [OnDemand] = 2 }, "75 QPS after 74 is not a rise: the spare spot replicas go at once");
        decisions[0].Reasons.Should().NotContain(r => r.StartsWith("Rising", StringComparison.Ordinal));
    }
}
