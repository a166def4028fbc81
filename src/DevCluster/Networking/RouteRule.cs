namespace RecOperator.DevCluster.Networking;

/// <summary>
/// Requests matching some paths, shared among backend pools: smooth weighted round-robin picks the pool
/// (pools without a ready endpoint drop out, so their share goes to the others), then round-robin picks the
/// endpoint inside it. Picks are serialised by a lock: they are a few additions, far cheaper than the forward.
/// </summary>
public sealed class RouteRule
{
    private readonly Lock _gate = new();
    private readonly SmoothWeightedRoundRobin _pools;
    private readonly int[] _nextEndpoint;

    public RouteRule(IReadOnlyList<PathMatch> paths, IReadOnlyList<BackendPool> pools)
    {
        (Paths, Pools) = (paths, pools);
        _pools = new SmoothWeightedRoundRobin(pools.Select(p => p.Destinations.Count == 0 ? 0 : p.Weight).ToList());
        _nextEndpoint = new int[pools.Count];
    }

    public IReadOnlyList<PathMatch> Paths { get; }

    public IReadOnlyList<BackendPool> Pools { get; }

    public string Signature => $"({string.Join(',', Paths)})->{string.Join('+', Pools.Select(p => p.Signature))}";

    public bool Matches(string path) => Paths.Count == 0 || Paths.Any(p => p.Matches(path));

    /// <summary>
    /// The next destination not in <paramref name="excluding"/> (endpoints that refused this request already), or null
    /// when no pool with a non-zero weight has a ready endpoint left.
    /// </summary>
    public Destination? Pick(IReadOnlyCollection<Destination>? excluding = null)
    {
        lock (_gate)
        {
            // Every destination comes up within this many picks, so the loop ends even when all are excluded.
            var picks = excluding is { Count: > 0 } ? Pools.Sum(p => p.Destinations.Count) : 1;
            for (var i = 0; i < picks; i++)
            {
                var pool = _pools.Next();
                if (pool < 0)
                {
                    return null;
                }

                var destinations = Pools[pool].Destinations;
                var index = _nextEndpoint[pool];
                _nextEndpoint[pool] = (index + 1) % destinations.Count;
                if (excluding is null || !excluding.Contains(destinations[index]))
                {
                    return destinations[index];
                }
            }
            return null;
        }
    }
}
