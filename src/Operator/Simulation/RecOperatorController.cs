using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Simulation;

/// <summary>Our policy under simulation: capacity model + <see cref="ScalingPolicy"/> over every variant and pool.</summary>
internal sealed class RecOperatorController : IFleetController
{
    private readonly SimFleet _fleet;
    private readonly SimClock _clock;
    private readonly ScalingPolicy _policy;
    private readonly Dictionary<string, CapacityEstimate> _capacity;
    private readonly Dictionary<string, int> _ready = new(StringComparer.Ordinal);
    private ScalingState _state = ScalingState.Initial;

    public RecOperatorController(SimFleet fleet, SimClock clock)
    {
        _fleet = fleet;
        _clock = clock;
        // The same rule as the operator's loop, MetricsWindow = the span each p99 covers: the loop's p99 is a PromQL
        // quantile over the model's window, the simulator's averages the seconds since its last sync (SimWindows), so
        // here breaches are counted, and boosts judged, per sync period.
        var sync = new ScalingOptions().SyncPeriod;
        _policy = new ScalingPolicy(clock, new ScalingOptions
        {
            StabilizationWindow = TimeSpan.FromSeconds(fleet.ScaleDownStabilizationSeconds),
            MetricsWindow = sync,
        });
        _capacity = fleet.Variants.ToDictionary(v => v.Name, v => CapacityModel.FromProfile(v.ProfileQps, v.ProfileP99Ms, fleet.SloP99Ms));
    }

    public string Name => "recoperator";

    public TimeSpan SyncPeriod => _policy.Options.SyncPeriod;

    public IReadOnlyDictionary<PlacementKey, int> Decide(SimObservation observation)
    {
        _clock.Seconds = observation.TimeSeconds;
        // The loop's rule (CapacityTracker): a breach while the variant's replicas start, or within the window its
        // ready count changed in, may be the backlog of while capacity was short. Here the window is the sync period,
        // and load per ready replica is taken per second, so only the latency is in doubt.
        var starting = StartingReplicas.Find(_state, observation.Actual, _clock.GetUtcNow(), _policy.Options.StartTimeout).Select(s => s.Key.Variant).ToHashSet(StringComparer.Ordinal);
        foreach (var variant in _fleet.Variants)
        {
            var ready = observation.Actual.Where(a => a.Key.Variant == variant.Name).Sum(a => a.Value.Ready);
            var changed = _ready.TryGetValue(variant.Name, out var before) && before != ready;
            _ready[variant.Name] = ready;
            if (observation.VariantQpsPerReady.TryGetValue(variant.Name, out var qps) && observation.VariantP99Ms.TryGetValue(variant.Name, out var p99))
            {
                var observed = new CapacityObservation(qps, p99) { Settling = changed || starting.Contains(variant.Name) };
                _capacity[variant.Name] = CapacityModel.Update(_capacity[variant.Name], variant.ProfileQps, variant.ProfileP99Ms, _fleet.SloP99Ms, observed);
            }
        }

        var input = new ScalingInput
        {
            DemandQps = observation.WindowQps,
            RecentDemandQps = observation.RecentQps,
            Variants = [.. _fleet.Variants.Select(v => new VariantCandidate(v.Name, _capacity[v.Name].QpsPerReplica, v.Min, v.Max, v.Pools))],
            // Slots stay the limit while a pool is down, as the operator trusts a NodePool's spec when it has no nodes;
            // the capacity is what its status would say, so a pool found full is tried again once it is back.
            Pools = [.. _fleet.Pools.Select(p => new PoolCandidate(p.Name, p.CostPerReplicaHour, p.CapacityLimit, p.Preemptible,
                observation.PoolCapacity.TryGetValue(p.Name, out var capacity) ? capacity : null))],
            Headroom = _fleet.Headroom,
            MinTotalReplicas = _fleet.MinTotalReplicas,
            SloP99Ms = _fleet.SloP99Ms,
            VariantP99Ms = observation.VariantP99Ms,
            Actual = observation.Actual,
        };
        var decision = _policy.Decide(input, _state);
        _state = decision.State;
        return decision.Replicas;
    }
}
