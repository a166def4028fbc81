using System.Globalization;
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

    /// <summary>
    /// A small problem where variants compete for scarce slots: most pools hold 0-5 replicas, minimums go up to 2,
    /// variants share some pools and not others, and demand ranges from nothing to beyond every slot.
    /// </summary>
    public static PlacementProblem ContestedProblem(Random random)
    {
        var pools = Enumerable.Range(0, random.Next(1, 4))
            .Select(p => new PoolCandidate($"p{p}", Math.Round(0.05 + (random.NextDouble() * 2), 2), random.Next(3) == 0 ? null : random.Next(0, 6)))
            .ToList();
        var variants = Enumerable.Range(0, random.Next(1, 4))
            .Select(v =>
            {
                var min = random.Next(0, 3);
                return new VariantCandidate($"v{v}", random.Next(1, 20) * 50, min, min + random.Next(0, 4),
                    pools.Where(_ => random.Next(2) == 0).Select(p => p.Name).DefaultIfEmpty(pools[random.Next(pools.Count)].Name).ToList());
            })
            .ToList();
        return new PlacementProblem
        {
            Variants = variants, Pools = pools, DemandQps = random.Next(0, 40) * 37, Headroom = random.Next(2) * 0.2, MinTotalReplicas = random.Next(0, 4),
        };
    }

    /// <summary>The least cost of any feasible placement, or +Inf when none is.</summary>
    public static double Cost(PlacementProblem problem)
    {
        var best = Optimum(problem);
        return best.MinimumsMet && best.ShortfallQps == 0 ? best.CostPerHour : double.PositiveInfinity;
    }

    /// <summary>
    /// The best placement within every variant's max and every pool's slots, ranked as the solver must: every
    /// minimum met (each variant's and the total) first, then the least shortfall, then the least cost.
    /// </summary>
    public static BruteForceOptimum Optimum(PlacementProblem problem)
    {
        var pools = problem.Pools.ToList();
        var keys = problem.Variants
            .Select((v, i) => (Variant: v, Index: i))
            .Where(v => v.Variant.QpsPerReplica > 0)
            .SelectMany(v => v.Variant.Pools.Distinct().Select(p => pools.FindIndex(x => x.Name == p)).Where(p => p >= 0).Select(p => (v.Variant, v.Index, Pool: p)))
            .ToList();
        var variantUsed = new int[problem.Variants.Count];
        var poolUsed = new int[pools.Count];
        var best = new BruteForceOptimum(false, double.PositiveInfinity, double.PositiveInfinity);
        Search(0, 0, 0, 0);
        return best;

        void Search(int index, double capacity, double cost, int total)
        {
            if (index == keys.Count)
            {
                var candidate = new BruteForceOptimum(
                    total >= problem.MinTotalReplicas && problem.Variants.Select((v, i) => variantUsed[i] >= v.MinReplicas).All(ok => ok),
                    capacity >= problem.RequiredQps - 1e-9 ? 0 : problem.RequiredQps - capacity,
                    cost);
                if (candidate.IsBetterThan(best))
                {
                    best = candidate;
                }

                return;
            }

            var (variant, v, p) = keys[index];
            var room = Math.Min(variant.MaxReplicas - variantUsed[v], (pools[p].Slots ?? int.MaxValue) - poolUsed[p]);
            for (var n = 0; n <= room; n++)
            {
                variantUsed[v] += n;
                poolUsed[p] += n;
                Search(index + 1, capacity + (n * variant.QpsPerReplica), cost + (n * pools[p].CostPerReplicaHour), total + n);
                variantUsed[v] -= n;
                poolUsed[p] -= n;
            }
        }
    }

    /// <summary>Every variant's minimum and the minimum total met.</summary>
    public static bool MinimumsMet(PlacementProblem problem, Placement placement) =>
        placement.TotalReplicas >= problem.MinTotalReplicas && problem.Variants.All(v => placement.ForVariant(v.Name) >= v.MinReplicas);

    /// <summary>What the placement breaks of the problem's hard bounds (a variant over its max, a pool over its slots), or its own sums.</summary>
    public static IEnumerable<string> Violations(PlacementProblem problem, Placement placement)
    {
        foreach (var v in problem.Variants.Where(v => placement.ForVariant(v.Name) > v.MaxReplicas))
        {
            yield return $"{v.Name} has {placement.ForVariant(v.Name)} replicas, over its max {v.MaxReplicas}";
        }

        foreach (var p in problem.Pools)
        {
            var used = placement.Replicas.Where(r => r.Key.Pool == p.Name).Sum(r => r.Value);
            if (p.Slots is { } slots && used > slots)
            {
                yield return $"{p.Name} holds {used} replicas in {slots} slots";
            }
        }

        var capacity = placement.Replicas.Sum(r => r.Value * problem.Variants.Single(v => v.Name == r.Key.Variant).QpsPerReplica);
        var cost = placement.Replicas.Sum(r => r.Value * problem.Pools.Single(p => p.Name == r.Key.Pool).CostPerReplicaHour);
        if (Math.Abs(capacity - placement.CapacityQps) > 1e-6 || Math.Abs(cost - placement.CostPerHour) > 1e-9
            || Math.Abs(Math.Max(0, problem.RequiredQps - capacity) - placement.ShortfallQps) > 1e-6)
        {
            yield return $"reports capacity {placement.CapacityQps}, cost {placement.CostPerHour}, shortfall {placement.ShortfallQps} for replicas worth {capacity} QPS at {cost}/h";
        }
    }

    public static string Describe(PlacementProblem problem)
    {
        var pools = problem.Pools.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.CostPerReplicaHour}/h {(p.Slots is { } slots ? slots : "unlimited")}"));
        var variants = problem.Variants.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Name} {v.QpsPerReplica} QPS {v.MinReplicas}-{v.MaxReplicas} in [{string.Join(" ", v.Pools)}]"));
        return string.Create(CultureInfo.InvariantCulture,
            $"demand {problem.DemandQps} x {1 + problem.Headroom}, min total {problem.MinTotalReplicas}; pools {string.Join(", ", pools)}; variants {string.Join(", ", variants)}");
    }
}

/// <summary>What exhaustive search finds best: whether every minimum can be met, and the least shortfall and cost then.</summary>
internal readonly record struct BruteForceOptimum(bool MinimumsMet, double ShortfallQps, double CostPerHour)
{
    public bool IsBetterThan(BruteForceOptimum other) =>
        MinimumsMet != other.MinimumsMet ? MinimumsMet
        : Math.Abs(ShortfallQps - other.ShortfallQps) > 1e-9 ? ShortfallQps < other.ShortfallQps
        : CostPerHour < other.CostPerHour - 1e-12;
}
