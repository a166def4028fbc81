using System.ComponentModel;
using System.Text.Json.Serialization;
using RecOperator.Kube;

namespace RecOperator.Crds.Models;

/// <summary>What one variant runs in one node pool, and why it last changed.</summary>
[Description("A variant's replicas and figures in one node pool.")]
public sealed record VariantPoolStatus
{
    [Description("NodePool name.")]
    public required string Pool { get; init; }

    [Description("Replicas that exist.")]
    public int Replicas { get; init; }

    [Description("Replicas that are ready.")]
    public int ReadyReplicas { get; init; }

    [Description("Replicas the autoscaler wants.")]
    public int DesiredReplicas { get; init; }

    [Description("Measured requests per second.")]
    public double? Qps { get; init; }

    [Description("Measured 99th-percentile latency in milliseconds.")]
    public double? P99LatencyMs { get; init; }

    [Description("Share of the model's traffic routed here, 0 to 1.")]
    public double? TrafficWeight { get; init; }

    [Description("When the replica count was last changed.")]
    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? LastScaleTime { get; init; }

    [Description("Why the replica count was last changed.")]
    public string? LastScaleReason { get; init; }
}
