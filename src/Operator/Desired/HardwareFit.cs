using RecOperator.Crds;
using RecOperator.Crds.Models;

namespace RecOperator.Operator.Desired;

/// <summary>
/// Which NodePools a variant may run in, by hardware: a Cpu variant runs in any pool (every node has CPUs; an int8
/// fallback beside an accelerator is common), a Gpu or Asic variant only in a pool of the same hardware, the only kind
/// whose accelerator resource its pods request. A Gpu variant listing a Cpu pool would otherwise get pods that ask for
/// no GPU and fail on a node without one. Pure.
/// </summary>
public static class HardwareFit
{
    public static bool Allows(Hardware variant, Hardware pool) => variant == Hardware.Cpu || variant == pool;

    /// <summary>The pools <paramref name="variant"/> lists that exist and fit its hardware, in its order.</summary>
    public static IReadOnlyList<string> EligiblePools(VariantSpec variant, IReadOnlyDictionary<string, NodePoolSpec> pools)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(pools);
        return [.. variant.NodePools.Distinct(StringComparer.Ordinal).Where(p => pools.TryGetValue(p, out var pool) && Allows(variant.Hardware, pool.Hardware))];
    }

    /// <summary>One line per (variant, pool) the model lists whose hardware does not fit, for status and Events.</summary>
    public static IReadOnlyList<string> Mismatches(RecModel model, IReadOnlyDictionary<string, NodePoolSpec> pools)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pools);
        return [.. model.Spec.Variants.SelectMany(v => v.NodePools.Distinct(StringComparer.Ordinal)
            .Where(p => pools.TryGetValue(p, out var pool) && !Allows(v.Hardware, pool.Hardware))
            .Select(p => $"variant {v.Name} ({v.Hardware}) lists NodePool {p} ({pools[p].Hardware}); it runs only in {v.Hardware} pools, so it is not placed there"))];
    }
}
