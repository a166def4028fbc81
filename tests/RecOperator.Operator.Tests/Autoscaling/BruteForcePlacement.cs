using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Tests.Autoscaling;

/// <summary>Exhaustive search over every replica vector of a small problem: the reference the solver is checked against.</summary>
internal static class BruteForcePlacement
{
    public static PlacementProblem RandomProblem(Random random)
    {
        var pools = Enumerable.Range(0, random.Next(1, 4))
            .Select(p => new PoolCandidate($"p{p}", Math.Round(0.05 + (random.NextDouble() * 2), 2), random.Next(3) == 0 ? random.Next(1, 5) : null))
            .ToList();
        var variants = Enumerable.Range(0, random.Next(1, 4))
            .Select(v => new VariantCandidate($"v{v}", random.Next(50, 2000), random.Next(2), random.Next(2, 6), pools.Where(_ => random.Next(3) > 0).Select(p => p.Name).DefaultIfEmpty(pools[0].Name).ToList()))
            .ToList();
        var maxCapacity = variants.Sum(v => v.QpsPerReplica * v.MaxReplicas);
        return new PlacementProblem { Variants = variants, Pools = pools, DemandQps = random.NextDouble() * maxCapacity * 0.5, Headroom = 0.2, MinTotalReplicas = 2 };
    }

    /// <summary>The least cost of any feasible placement, or +Inf when none is.</summary>
    public static double Cost(PlacementProblem problem)
    {
        var keys = problem.Variants.SelectMany(v => v.Pools.Distinct().Select(p => (Variant: v, Pool: problem.Pools.Single(x => x.Name == p)))).ToList();
        var counts = new int[keys.Count];
        var best = double.PositiveInfinity;
        Search(0);
        return best;

        void Search(int index)
        {
            if (index == keys.Count)
            {
                var capacity = 0.0;
                var cost = 0.0;
                for (var i = 0; i < keys.Count; i++)
                {
                    capacity += counts[i] * keys[i].Variant.QpsPerReplica;
                    cost += counts[i] * keys[i].Pool.CostPerReplicaHour;
                }

                if (capacity >= problem.RequiredQps - 1e-9 && counts.Sum() >= problem.MinTotalReplicas && Valid())
                {
                    best = Math.Min(best, cost);
                }

                return;
            }

            for (var n = 0; n <= keys[index].Variant.MaxReplicas; n++)
            {
                counts[index] = n;
                Search(index + 1);
            }

            counts[index] = 0;
        }

        bool Valid() =>
            problem.Variants.All(v =>
            {
                var n = keys.Select((k, i) => k.Variant == v ? counts[i] : 0).Sum();
                return n >= v.MinReplicas && n <= v.MaxReplicas;
            })
            && problem.Pools.All(p => p.Slots is null || keys.Select((k, i) => k.Pool == p ? counts[i] : 0).Sum() <= p.Slots);
    }
}
