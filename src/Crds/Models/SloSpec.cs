using System.ComponentModel;
using RecOperator.Crds.Schema;

namespace RecOperator.Crds.Models;

/// <summary>The latency objective every variant is held to.</summary>
[Description("The service-level objective every variant is scaled to meet.")]
public sealed record SloSpec
{
    [Description("Target 99th-percentile request latency in milliseconds, measured at the inference pod.")]
    [Minimum(0, Exclusive = true)]
    [Maximum(60000)]
    public required double P99LatencyMs { get; init; }
}
