using System.Text.Json.Serialization;

namespace RecOperator.Demo.Summary;

/// <summary>The demo's outcome, written by --summary-json and asserted by the end-to-end tests.</summary>
public sealed record DemoSummary
{
    [JsonPropertyName("sloMs")] public required double SloMs { get; init; }

    /// <summary>Replicas when the 4x step began.</summary>
    [JsonPropertyName("replicasBeforeStep")] public required int ReplicasBeforeStep { get; init; }

    [JsonPropertyName("maxReplicas")] public required int MaxReplicas { get; init; }

    /// <summary>Seconds from the step until more replicas were ready than before it and client p99 was within the SLO.</summary>
    [JsonPropertyName("recoverySeconds")] public double? RecoverySeconds { get; init; }

    /// <summary>Client p99 from recovery to the end of the step.</summary>
    [JsonPropertyName("p99AfterRecoveryMs")] public double? P99AfterRecoveryMs { get; init; }

    /// <summary>
    /// Share of the 5 s windows from recovery to the end of the step whose client p99 was within the SLO: one stall of
    /// a shared machine moves a single p99 over half a minute, but only one window.
    /// </summary>
    [JsonPropertyName("sloWindowsAfterRecovery")] public double? SloWindowsAfterRecovery { get; init; }

    [JsonPropertyName("finalReplicas")] public required int FinalReplicas { get; init; }

    [JsonPropertyName("requests")] public required int Requests { get; init; }

    [JsonPropertyName("errors")] public required int Errors { get; init; }

    /// <summary>Client p99 of every 5 s window of the load, by scheduled time.</summary>
    [JsonPropertyName("p99Windows")] public IReadOnlyList<P99WindowPoint> P99Windows { get; init; } = [];

    /// <summary>Pauses of the demo's own process over 100 ms during the load (it hosts the load generator too).</summary>
    [JsonPropertyName("processStalls")] public IReadOnlyList<Load.ProcessStall> ProcessStalls { get; init; } = [];
}
