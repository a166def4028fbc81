using RecOperator.Crds;
using RecOperator.Kube.Models;

namespace RecOperator.Demo.View;

/// <summary>The view's rows and condition words from a RecModel's status and the pools' prices: a pure function.</summary>
public static class FleetRows
{
    public static IReadOnlyList<PlacementRow> Of(RecModel model, IReadOnlyDictionary<string, double> costPerReplicaHour)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(costPerReplicaHour);
        return [.. (model.Status?.Variants ?? [])
            .SelectMany(v => v.Pools.Select(p => new PlacementRow(
                v.Name, p.Pool, p.Replicas, p.ReadyReplicas, p.DesiredReplicas, p.Qps, p.P99LatencyMs, p.TrafficWeight,
                p.Replicas * costPerReplicaHour.GetValueOrDefault(p.Pool))))
            .OrderBy(r => r.Variant, StringComparer.Ordinal).ThenBy(r => r.Pool, StringComparer.Ordinal)];
    }

    /// <summary>"Type=Status (Reason)" for each condition, the way a person scans them.</summary>
    public static IReadOnlyList<string> Conditions(RecModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. (model.Status?.Conditions ?? []).Select(Describe)];
    }

    private static string Describe(V1Condition c) => string.IsNullOrEmpty(c.Reason) ? $"{c.Type}={c.Status}" : $"{c.Type}={c.Status} ({c.Reason})";

    /// <summary>The latest scale reasons, oldest first, as "variant@pool: reason".</summary>
    public static IReadOnlyList<string> Decisions(RecModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. (model.Status?.Variants ?? [])
            .SelectMany(v => v.Pools.Where(p => p.LastScaleTime is not null && p.LastScaleReason is not null)
                .Select(p => (At: p.LastScaleTime!.Value, Text: $"{p.LastScaleTime:HH:mm:ss} {v.Name}@{p.Pool} -> {p.DesiredReplicas}: {p.LastScaleReason}")))
            .OrderBy(d => d.At).Select(d => d.Text)];
    }
}
