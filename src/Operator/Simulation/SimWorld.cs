using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Simulation;

/// <summary>The simulated cluster: deployments per placement, pool limits and outages, queues per variant.</summary>
internal sealed class SimWorld
{
    private readonly SimFleet _fleet;
    private readonly Dictionary<PlacementKey, SimDeployment> _deployments = [];
    private readonly HashSet<string> _downPools = new(StringComparer.Ordinal);
    private readonly double[] _backlog;

    public SimWorld(SimFleet fleet)
    {
        _fleet = fleet;
        _backlog = new double[fleet.Variants.Count];
        foreach (var variant in fleet.Variants)
        {
            foreach (var pool in variant.Pools.Where(p => fleet.Pools.Any(x => x.Name == p)))
            {
                _deployments[FleetSimulator.Key(variant, pool)] = new SimDeployment();
            }
        }
    }

    public string VariantName(int index) => _fleet.Variants[index].Name;

    public IReadOnlyDictionary<PlacementKey, ReplicaCounts> Counts() =>
        _deployments.ToDictionary(d => d.Key, d => new ReplicaCounts(d.Value.Ready, d.Value.Pending));

    public IReadOnlyDictionary<string, int> PoolCapacity() =>
        _fleet.Pools.ToDictionary(p => p.Name, p => _downPools.Contains(p.Name) ? 0 : p.CapacityLimit ?? int.MaxValue, StringComparer.Ordinal);

    public void Apply(TraceEvent e)
    {
        if (e.Kind == TraceEventKind.PoolUp)
        {
            _downPools.Remove(e.Pool);
            return;
        }

        _downPools.Add(e.Pool);
        foreach (var d in _deployments.Where(d => d.Key.Pool == e.Pool))
        {
            d.Value.Evict();
        }
    }

    /// <summary>Applies a controller's replicas; placements it leaves out go to zero. True when anything changed.</summary>
    public bool ScaleTo(IReadOnlyDictionary<PlacementKey, int> desired)
    {
        var changed = false;
        foreach (var (key, deployment) in _deployments)
        {
            var want = desired.GetValueOrDefault(key);
            changed |= want != deployment.Desired;
            deployment.ScaleTo(want);
        }

        return changed;
    }

    public void Schedule(double now, bool instant)
    {
        foreach (var pool in _fleet.Pools)
        {
            var inPool = _deployments.Where(d => d.Key.Pool == pool.Name).OrderBy(d => d.Key.ToString(), StringComparer.Ordinal).ToList();
            var free = _downPools.Contains(pool.Name) ? 0 : (pool.CapacityLimit ?? int.MaxValue) - inPool.Sum(d => d.Value.Scheduled);
            foreach (var (key, deployment) in inPool)
            {
                var variant = _fleet.Variants.First(v => v.Name == key.Variant);
                var n = Math.Min(free, deployment.Pending);
                deployment.Schedule(n, instant ? now : now + variant.StartDelay.TotalSeconds);
                free -= n;
                deployment.Promote(now);
            }
        }
    }

    public SimStep Serve(double arrivals)
    {
        var count = _fleet.Variants.Count;
        var ready = new int[count];
        var load = new double[count];
        var p99 = new double[count];
        var weights = new double[count];
        for (var v = 0; v < count; v++)
        {
            var name = _fleet.Variants[v].Name;
            ready[v] = _deployments.Where(d => d.Key.Variant == name).Sum(d => d.Value.Ready);
            weights[v] = ready[v] * _fleet.Variants[v].ProfileQps;
        }

        var total = weights.Sum();
        var fleetP99 = arrivals > 0 && total == 0 ? double.PositiveInfinity : 0;
        for (var v = 0; v < count; v++)
        {
            if (ready[v] == 0)
            {
                _backlog[v] = 0;
                continue;
            }

            var curve = _fleet.Variants[v].Curve;
            var saturation = ready[v] * curve.SaturationQps;
            load[v] = total > 0 ? arrivals * weights[v] / total : 0;
            _backlog[v] = Math.Max(0, _backlog[v] + load[v] - saturation);

            // A full queue sheds requests (errors), which breaks the SLO as surely as latency does.
            var queueLimit = (double)ready[v] * _fleet.MaxQueuePerReplica;
            var shedding = _backlog[v] > queueLimit;
            _backlog[v] = Math.Min(_backlog[v], queueLimit);
            p99[v] = shedding ? double.PositiveInfinity : curve.P99Ms(load[v] / saturation) + (_backlog[v] / saturation * 1000);
            fleetP99 = load[v] > 0 ? Math.Max(fleetP99, p99[v]) : fleetP99;
        }

        return new SimStep(fleetP99, load, p99, ready);
    }

    public double CostPerHour() =>
        _deployments.Sum(d => d.Value.Scheduled * _fleet.Pools.First(p => p.Name == d.Key.Pool).CostPerReplicaHour);
}
