using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Simulation;

/// <summary>Runs our policy and one HPA per (variant, pool) on the same trace and seed, and picks the best HPA.</summary>
public static class SimulationRunner
{
    public static SimulationReport Run(SimFleet fleet, Trace trace, int seed)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(trace);
        var ours = FleetSimulator.Run(fleet, trace, new RecOperatorController(fleet, new SimClock()), seed);
        var hpas = fleet.Variants
            .SelectMany(v => v.Pools.Where(p => fleet.Pools.Any(x => x.Name == p)).Select(p => (Variant: v, Pool: p)))
            .Select(x => FleetSimulator.Run(fleet, trace, Hpa(fleet, x.Variant, x.Pool), seed))
            .ToList();

        // An operator running a plain HPA would pick the variant that holds the SLO best, and the cheapest among equals.
        var best = hpas.OrderBy(h => h.ViolationMinutes).ThenBy(h => h.Cost).First();
        return new SimulationReport(trace.Name, ours, best, hpas);
    }

    private static HpaController Hpa(SimFleet fleet, SimVariant variant, string pool)
    {
        // Same headroom as ours: the HPA targets the profiled capacity divided by (1 + headroom).
        var target = variant.ProfileQps / (1 + fleet.Headroom);
        var min = Math.Max(1, Math.Max(fleet.MinTotalReplicas, variant.Min));
        return new HpaController(new PlacementKey(variant.Name, pool), target, min, Math.Max(min, variant.Max));
    }
}
