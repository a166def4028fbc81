namespace RecOperator.Operator.Autoscaling;

/// <summary>Replicas per (variant, pool) and what they add up to.</summary>
public sealed record Placement
{
    public static Placement Empty { get; } = new() { Replicas = new Dictionary<PlacementKey, int>() };

    /// <summary>Replicas per placement; keys with zero replicas are left out.</summary>
    public required IReadOnlyDictionary<PlacementKey, int> Replicas { get; init; }

    /// <summary>Cost per hour of the placement.</summary>
    public double CostPerHour { get; init; }

    /// <summary>Capacity of the placement in requests per second.</summary>
    public double CapacityQps { get; init; }

    /// <summary>Capacity still missing when every eligible slot is used (0 when feasible).</summary>
    public double ShortfallQps { get; init; }

    public bool IsFeasible => ShortfallQps <= 0;

    public int TotalReplicas => Replicas.Values.Sum();

    public int Get(PlacementKey key) => Replicas.TryGetValue(key, out var n) ? n : 0;

    /// <summary>Replicas of one variant summed over its pools.</summary>
    public int ForVariant(string variant) => Replicas.Where(r => r.Key.Variant == variant).Sum(r => r.Value);
}
