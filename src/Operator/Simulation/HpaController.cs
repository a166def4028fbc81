using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Simulation;

/// <summary>
/// The baseline: what a Kubernetes HPA does for one homogeneous Deployment on a QPS-per-replica metric. Ratio rule
/// with 10% tolerance every 15 s, the highest recommendation of the last 300 s on the way down, and the default
/// scale-up limit (the larger of +4 pods or +100% per sync).
/// </summary>
internal sealed class HpaController(PlacementKey key, double targetQpsPerReplica, int minReplicas, int maxReplicas) : IFleetController
{
    private const double Tolerance = 0.1;
    private const double DownscaleWindowSeconds = 300;
    private readonly List<(double Time, int Replicas)> _recommendations = [];
    private int _replicas;

    public string Name => $"hpa:{key}";

    public TimeSpan SyncPeriod => TimeSpan.FromSeconds(15);

    public IReadOnlyDictionary<PlacementKey, int> Decide(SimObservation observation)
    {
        _replicas = Math.Max(_replicas, minReplicas);
        var ready = observation.Actual.TryGetValue(key, out var counts) ? counts.Ready : 0;
        var recommended = _replicas;
        if (ready > 0)
        {
            var ratio = observation.RecentQps / ready / targetQpsPerReplica;
            if (Math.Abs(ratio - 1) > Tolerance)
            {
                recommended = (int)Math.Ceiling(ready * ratio);
            }
        }

        recommended = Math.Clamp(recommended, minReplicas, maxReplicas);
        _recommendations.RemoveAll(r => observation.TimeSeconds - r.Time >= DownscaleWindowSeconds);
        _recommendations.Add((observation.TimeSeconds, recommended));
        var stabilized = recommended < _replicas ? Math.Min(_replicas, _recommendations.Max(r => r.Replicas)) : recommended;
        _replicas = Math.Min(stabilized, Math.Max(_replicas * 2, _replicas + 4));
        return new Dictionary<PlacementKey, int> { [key] = _replicas };
    }
}
