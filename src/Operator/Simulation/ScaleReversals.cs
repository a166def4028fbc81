using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Simulation;

/// <summary>
/// Counts churn: a placement whose replica count turns back (added then removed, or removed then added) within
/// <see cref="Window"/> of its previous change. Every such turn started a pod that was not needed or stopped one that
/// was, so fewer reversals at the same cost and violations is a calmer autoscaler.
/// </summary>
public sealed class ScaleReversals
{
    /// <summary>Changes further apart than this are separate moves, not one move taken back.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    private readonly Dictionary<PlacementKey, int> _replicas = [];
    private readonly Dictionary<PlacementKey, (int Direction, double AtSeconds)> _lastChange = [];
    private bool _started;

    public int Count { get; private set; }

    /// <summary>
    /// Records the replicas asked for at <paramref name="atSeconds"/>; counts the placements that turned back. The first
    /// call is where the fleet starts, not a change.
    /// </summary>
    public void Observe(double atSeconds, IReadOnlyDictionary<PlacementKey, int> replicas)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        if (!_started)
        {
            _started = true;
            foreach (var (key, n) in replicas)
            {
                _replicas[key] = n;
            }

            return;
        }

        foreach (var key in replicas.Keys.Union(_replicas.Keys).ToList())
        {
            var was = _replicas.GetValueOrDefault(key);
            var now = replicas.GetValueOrDefault(key);
            if (now == was)
            {
                continue;
            }

            var direction = Math.Sign(now - was);
            if (_lastChange.TryGetValue(key, out var last) && last.Direction == -direction && atSeconds - last.AtSeconds <= Window.TotalSeconds)
            {
                Count++;
            }

            _lastChange[key] = (direction, atSeconds);
            _replicas[key] = now;
        }
    }
}
