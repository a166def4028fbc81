using System.ComponentModel;
using RecOperator.Crds.Schema;

namespace RecOperator.Crds.Models;

/// <summary>What one replica of a variant sustains: the autoscaler's starting point, refined online.</summary>
[Description("What one replica sustains at the SLO, from profiling (recop optimize profile); refined online by the operator.")]
public sealed record CapacityProfileSpec
{
    [Description("Requests per second one replica serves with p99 under the SLO.")]
    [Minimum(0, Exclusive = true)]
    public required double QpsPerReplica { get; init; }

    [Description("The p99 latency, in milliseconds, measured at that rate.")]
    [Minimum(0)]
    public double? P99LatencyMs { get; init; }

    [Description("Candidates per request the profile was measured with.")]
    [Minimum(1)]
    public int? CandidatesPerRequest { get; init; }
}
