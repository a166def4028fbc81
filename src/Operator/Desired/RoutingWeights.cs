using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Desired;

/// <summary>
/// Integer traffic weights per variant Service, for an HTTPRoute's backendRefs or the routing ConfigMap. Pure: the
/// shares come from the autoscaler's plan when there is one, otherwise from replicas x each variant's profiled capacity.
/// </summary>
public static class RoutingWeights
{
    /// <summary>The weights add up to about this; fine enough for 0.1% steps and far below Gateway API's 1,000,000.</summary>
    public const int Scale = 1000;

    /// <summary>Weights from the plan's traffic shares per (variant, pool), summed per variant.</summary>
    /// <param name="variants">The variants that have a Service; each gets a weight, 0 where the plan gives it none.</param>
    public static IReadOnlyDictionary<string, int> FromShares(IReadOnlyDictionary<PlacementKey, double> shares, IEnumerable<string> variants)
    {
        ArgumentNullException.ThrowIfNull(shares);
        var perVariant = variants.Distinct(StringComparer.Ordinal).ToDictionary(
            v => v,
            v => shares.Where(s => s.Key.Variant == v).Sum(s => Finite(s.Value)),
            StringComparer.Ordinal);
        return Normalize(perVariant);
    }

    /// <summary>Weights proportional to replicas x capacity per replica (1 QPS when a variant has no capacity profile).</summary>
    public static IReadOnlyDictionary<string, int> FromReplicas(IReadOnlyList<VariantPlacement> placements)
    {
        ArgumentNullException.ThrowIfNull(placements);
        var perVariant = placements
            .GroupBy(p => p.Variant.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(p => Math.Max(0, p.Replicas) * (p.Variant.Capacity?.QpsPerReplica ?? 1.0)), StringComparer.Ordinal);
        return Normalize(perVariant);
    }

    // Rounded to integers that keep the proportions; when nothing has capacity yet, every variant gets an equal
    // share rather than a route with no traffic anywhere (a route whose weights are all 0 answers 500).
    private static SortedDictionary<string, int> Normalize(Dictionary<string, double> raw)
    {
        var total = raw.Values.Sum();
        var weights = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (variant, value) in raw)
        {
            weights[variant] = total > 0 ? (int)Math.Round(value / total * Scale, MidpointRounding.AwayFromZero) : 1;
        }

        return weights;
    }

    private static double Finite(double value) => double.IsFinite(value) && value > 0 ? value : 0;
}
