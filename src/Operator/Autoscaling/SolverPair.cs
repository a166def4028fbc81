namespace RecOperator.Operator.Autoscaling;

/// <summary>One eligible (variant, pool) combination, by index, with its capacity and price per replica.</summary>
internal readonly record struct SolverPair(int Variant, int Pool, double Qps, double Cost)
{
    public double CostPerQps => Cost / Qps;

    /// <summary>All eligible pairs, sorted by cost per QPS (then by price, then by names), so routes break ties alike every run.</summary>
    public static SolverPair[] Build(VariantCandidate[] variants, PoolCandidate[] pools)
    {
        var poolIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var p = 0; p < pools.Length; p++)
        {
            poolIndex[pools[p].Name] = p;
        }

        var pairs = new List<SolverPair>();
        for (var v = 0; v < variants.Length; v++)
        {
            if (variants[v].QpsPerReplica <= 0 || double.IsNaN(variants[v].QpsPerReplica))
            {
                continue;
            }

            foreach (var name in variants[v].Pools.Distinct(StringComparer.Ordinal))
            {
                if (poolIndex.TryGetValue(name, out var p))
                {
                    pairs.Add(new SolverPair(v, p, variants[v].QpsPerReplica, pools[p].CostPerReplicaHour));
                }
            }
        }

        return [.. pairs
            .OrderBy(x => x.CostPerQps)
            .ThenBy(x => x.Cost)
            .ThenBy(x => variants[x.Variant].Name, StringComparer.Ordinal)
            .ThenBy(x => pools[x.Pool].Name, StringComparer.Ordinal)];
    }
}
