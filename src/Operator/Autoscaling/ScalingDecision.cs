using System.Globalization;

namespace RecOperator.Operator.Autoscaling;

/// <summary>The outcome of one decision: replicas to apply, why, and the state to pass to the next decision.</summary>
public sealed record ScalingDecision
{
    public required IReadOnlyDictionary<PlacementKey, int> Replicas { get; init; }

    /// <summary>The cheapest placement for current demand; <see cref="Replicas"/> moves towards it.</summary>
    public required Placement Target { get; init; }

    /// <summary>Human-readable reasons, for status conditions and Events.</summary>
    public required IReadOnlyList<string> Reasons { get; init; }

    /// <summary>False when demand could not be measured and the loop held steady.</summary>
    public required bool MetricsAvailable { get; init; }

    /// <summary>When metrics are missing, the placements that lack data and why (the input's <see cref="ScalingInput.Unmeasured"/>).</summary>
    public IReadOnlyList<string> Unmeasured { get; init; } = [];

    public bool Panic { get; init; }

    /// <summary>True when the SLO guard added capacity at this decision.</summary>
    public bool SloGuard { get; init; }

    /// <summary>True when p99 is above the SLO but the guard stopped adding capacity, because replicas did not lower it.</summary>
    public bool SloGuardHeld { get; init; }

    /// <summary>True when <see cref="Replicas"/> differs from the previous decision.</summary>
    public bool Changed { get; init; }

    public required ScalingState State { get; init; }

    /// <summary>
    /// One line for logs, Events and the plan's last scale: the reasons, or, when no rule stepped in, the demand the
    /// cheapest placement was chosen for (so a plain scale-down never reads as a change without a cause).
    /// </summary>
    /// <remarks>The demand is the state's last (the larger of the window's and the recent rate) and what the placement is
    /// sized for the highest required QPS of the stabilization window, which holds this decision's own.</remarks>
    public string Explanation => Reasons.Count > 0 ? string.Join("; ", Reasons)
        : State.LastDemandQps is { } demand && State.History.Count > 0
            ? string.Format(CultureInfo.InvariantCulture, "cheapest placement for {0:F0} QPS measured ({1:F0} QPS with headroom)",
                demand, State.History.Max(h => h.RequiredQps))
            : "cheapest placement for current demand";
}
