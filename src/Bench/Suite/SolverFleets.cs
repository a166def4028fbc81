using RecOperator.Operator.Autoscaling;

namespace RecOperator.Bench.Suite;

/// <summary>Synthetic placement problems of the sizes the issue names (seeded, so every run solves the same ones).</summary>
public static class SolverFleets
{
    /// <summary>10 variants x 5 pools = 50 (variant, pool) pairs.</summary>
    public static PlacementProblem FiftyPairs() => Build(variants: 10, pools: 5, poolsPerVariant: 5, demandQps: 200_000, slots: 200);

    /// <summary>10M QPS over 20 pools: thousands of replicas.</summary>
    public static PlacementProblem TenMillionQps() => Build(variants: 12, pools: 20, poolsPerVariant: 8, demandQps: 10_000_000, slots: 2_000);

    private static PlacementProblem Build(int variants, int pools, int poolsPerVariant, double demandQps, int slots)
    {
        var random = new Random(42);
        var poolList = Enumerable.Range(0, pools)
            .Select(p => new PoolCandidate($"pool-{p}", Math.Round(0.03 + (random.NextDouble() * 2.5), 3), p % 4 == 3 ? null : slots))
            .ToList();
        var variantList = Enumerable.Range(0, variants)
            .Select(v => new VariantCandidate(
                $"variant-{v}",
                random.Next(150, 8000),
                v % 3,
                5_000,
                [.. Enumerable.Range(0, poolsPerVariant).Select(i => poolList[(v + (i * 3)) % pools].Name).Distinct()]))
            .ToList();
        return new PlacementProblem { Variants = variantList, Pools = poolList, DemandQps = demandQps, Headroom = 0.2, MinTotalReplicas = 2 };
    }
}
