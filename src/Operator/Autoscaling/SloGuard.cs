using System.Globalization;

namespace RecOperator.Operator.Autoscaling;

/// <summary>
/// Decides whether the SLO guard adds capacity at this sync. p99 above the SLO for
/// <see cref="ScalingOptions.SloBreachWindows"/> whole metrics windows earns a boost; a further boost in the same breach
/// is earned only when the last one, once its replicas have served a full <see cref="ScalingOptions.MetricsWindow"/>
/// (so the p99 judged covers only the boosted fleet), lowered p99 by
/// at least <see cref="ScalingOptions.SloGuardMinImprovement"/>, and never beyond <see cref="ScalingOptions.SloGuardMaxBoosts"/>.
/// Latency that replicas cannot fix (a slow dependency, a bad artifact, a noisy node) would otherwise make the guard
/// add 25% after 25% for as long as the breach lasts. Pure.
/// </summary>
internal static class SloGuard
{
    /// <param name="worstP99Ms">The worst p99 of the variants above the SLO; null when none is.</param>
    /// <param name="breaching">The variants above the SLO, for the reason.</param>
    /// <param name="streak">Whole metrics windows with p99 above the SLO in this breach, this sync's included.</param>
    /// <param name="starting">Whether replicas asked for earlier are still starting.</param>
    public static Verdict Evaluate(SloGuardState? previous, double? worstP99Ms, string breaching, int streak, bool starting, DateTimeOffset now, ScalingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (worstP99Ms is not { } p99)
        {
            return new Verdict(false, null, null);
        }

        if (streak < options.SloBreachWindows || starting)
        {
            // Capacity still starting already answers the breach; boosting again each sync would compound.
            return new Verdict(false, previous, null);
        }

        if (previous is null)
        {
            return Boost(1, p99, breaching, streak);
        }

        if (previous.StoppedBecause is { } stopped)
        {
            return new Verdict(false, previous, stopped);
        }

        var readyAt = previous.BoostReadyAt ?? now;
        var guard = previous with { BoostReadyAt = readyAt };
        if (now - readyAt < options.MetricsWindow)
        {
            return new Verdict(false, guard, Format(
                "SloGuard: judging the last boost (p99 was {0:0.#} ms) once its replicas have served {1:0} s", previous.P99AtBoostMs, options.MetricsWindow.TotalSeconds));
        }

        if (p99 > previous.P99AtBoostMs * (1 - options.SloGuardMinImprovement))
        {
            return Stop(guard, Format(
                "SloGuardHeld: p99 is {0:0.#} ms after the last boost, {1:0.#} ms before it; more replicas do not lower it, so the guard adds none until p99 is back under the SLO",
                p99, previous.P99AtBoostMs));
        }

        if (previous.Boosts >= options.SloGuardMaxBoosts)
        {
            return Stop(guard, Format(
                "SloGuardHeld: {0} boosts in this breach (p99 still {1:0.#} ms); the guard adds no more until p99 is back under the SLO", previous.Boosts, p99));
        }

        return Boost(previous.Boosts + 1, p99, breaching, streak);
    }

    private static Verdict Boost(int boosts, double p99, string breaching, int streak) =>
        new(true, new SloGuardState { Boosts = boosts, P99AtBoostMs = p99 }, Format(
            "SloGuard: p99 above the SLO for {0} windows on {1} (worst {2:0.#} ms); adding capacity (boost {3} of this breach)", streak, breaching, p99, boosts));

    private static Verdict Stop(SloGuardState guard, string reason) => new(false, guard with { StoppedBecause = reason }, reason);

    private static string Format(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

    /// <param name="Boost">Whether to add <see cref="ScalingOptions.SloGuardBoost"/> of the current capacity now.</param>
    /// <param name="State">The guard's memory for the next sync; null outside a breach.</param>
    /// <param name="Reason">What the guard did and why, for the decision's reasons; null when it has nothing to say.</param>
    internal readonly record struct Verdict(bool Boost, SloGuardState? State, string? Reason);
}
