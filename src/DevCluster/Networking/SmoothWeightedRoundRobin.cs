namespace RecOperator.DevCluster.Networking;

/// <summary>
/// nginx's smooth weighted round-robin: each pick adds every weight to its running score, takes the highest
/// and subtracts the total from it. Over any run of sum(weights) picks each item is chosen exactly its weight
/// times, interleaved (5:1:1 gives a a b a c a a), so a split is exact, not merely right on average. Not
/// thread-safe: the owner serialises picks.
/// </summary>
public sealed class SmoothWeightedRoundRobin
{
    private readonly int[] _weights;
    private readonly long[] _current;
    private readonly long _total;

    public SmoothWeightedRoundRobin(IReadOnlyList<int> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Any(w => w < 0))
        {
            throw new ArgumentException("weights must not be negative", nameof(weights));
        }

        _weights = [.. weights];
        _current = new long[_weights.Length];
        _total = _weights.Sum(w => (long)w);
    }

    /// <summary>The index of the next item; -1 when every weight is zero (nothing may be chosen).</summary>
    public int Next()
    {
        if (_total == 0)
        {
            return -1;
        }

        var best = -1;
        for (var i = 0; i < _weights.Length; i++)
        {
            _current[i] += _weights[i];
            if (_weights[i] > 0 && (best < 0 || _current[i] > _current[best]))
            {
                best = i;
            }
        }

        _current[best] -= _total;
        return best;
    }
}
