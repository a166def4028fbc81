using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Desired;

/// <summary>
/// The NodePools a model's variants list that do not exist. Such a pair is never placed, and a typo beside valid pools
/// (<c>cpu-ondmand</c> next to <c>cpu-spot</c>) would otherwise go unnoticed: the model runs, only not where it was
/// meant to. Pure.
/// </summary>
public static class NodePoolReferences
{
    /// <summary>Each (variant, pool) whose pool does not exist, in spec order.</summary>
    public static IReadOnlyList<PlacementKey> Missing(RecModel model, IReadOnlyDictionary<string, NodePoolSpec> pools)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pools);
        return [.. model.Spec.Variants.SelectMany(v => v.NodePools.Distinct(StringComparer.Ordinal)
            .Where(p => !pools.ContainsKey(p))
            .Select(p => new PlacementKey(v.Name, p)))];
    }

    /// <summary>One line for status and Events, naming the variant and the pool.</summary>
    public static string Describe(PlacementKey missing) =>
        $"variant {missing.Variant} lists NodePool {missing.Pool}, which does not exist; it is not placed there";
}
