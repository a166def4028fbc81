namespace RecOperator.Operator.Autoscaling;

/// <summary>
/// The SLO guard's memory within one breach (p99 above the SLO without a break): its last boost, whether that boost
/// has been judged yet, and whether the guard gave up. Forgotten as soon as p99 is back under the SLO.
/// </summary>
public sealed record SloGuardState
{
    /// <summary>Boosts made in this breach.</summary>
    public required int Boosts { get; init; }

    /// <summary>The worst breaching p99 when the last boost was made: the figure the boost has to lower.</summary>
    public required double P99AtBoostMs { get; init; }

    /// <summary>When every replica of the last boost was first seen ready; null while they start.</summary>
    public DateTimeOffset? BoostReadyAt { get; init; }

    /// <summary>Why the guard stopped boosting in this breach; null while it may still boost.</summary>
    public string? StoppedBecause { get; init; }
}
