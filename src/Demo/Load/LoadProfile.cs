namespace RecOperator.Demo.Load;

/// <summary>A piecewise-linear request rate over time: what the demo's load generator follows.</summary>
public sealed class LoadProfile
{
    public LoadProfile(IReadOnlyList<LoadPhase> phases)
    {
        ArgumentNullException.ThrowIfNull(phases);
        if (phases.Count == 0)
        {
            throw new ArgumentException("a load profile needs at least one phase", nameof(phases));
        }
        foreach (var phase in phases)
        {
            if (phase.Duration <= TimeSpan.Zero || phase.StartRps < 0 || phase.EndRps < 0)
            {
                throw new ArgumentException($"phase '{phase.Name}': duration must be positive and rates 0 or more", nameof(phases));
            }
        }
        Phases = phases;
        Duration = TimeSpan.FromTicks(phases.Sum(p => p.Duration.Ticks));
    }

    public IReadOnlyList<LoadPhase> Phases { get; }

    public TimeSpan Duration { get; }

    /// <summary>
    /// The demo's story in proportions of <paramref name="duration"/>: warm-up at the base rate, a ramp to 1.5x, a
    /// 4x step (the autoscaler must add capacity), then a drop back to the base (it must give capacity back after
    /// its stabilization window).
    /// </summary>
    public static LoadProfile Demo(TimeSpan duration, double baseRps)
    {
        var s = duration.TotalSeconds;
        return new LoadProfile(
        [
            new LoadPhase("warm-up", TimeSpan.FromSeconds(s * 0.20), baseRps, baseRps),
            new LoadPhase("ramp", TimeSpan.FromSeconds(s * 0.10), baseRps, baseRps * 1.5),
            new LoadPhase("step 4x", TimeSpan.FromSeconds(s * 0.35), baseRps * 4, baseRps * 4),
            new LoadPhase("drop", TimeSpan.FromSeconds(s * 0.35), baseRps, baseRps),
        ]);
    }

    /// <summary>The phase running at <paramref name="elapsed"/> and its rate; the last phase holds after the end.</summary>
    public (LoadPhase Phase, double Rps) At(TimeSpan elapsed)
    {
        var start = TimeSpan.Zero;
        foreach (var phase in Phases)
        {
            if (elapsed < start + phase.Duration)
            {
                var fraction = Math.Clamp((elapsed - start) / phase.Duration, 0, 1);
                return (phase, phase.StartRps + (phase.EndRps - phase.StartRps) * fraction);
            }
            start += phase.Duration;
        }
        var last = Phases[^1];
        return (last, last.EndRps);
    }

    /// <summary>When the named phase begins, from the start of the profile.</summary>
    public TimeSpan StartOf(string phaseName)
    {
        var start = TimeSpan.Zero;
        foreach (var phase in Phases)
        {
            if (phase.Name == phaseName)
            {
                return start;
            }
            start += phase.Duration;
        }
        throw new ArgumentException($"no phase named '{phaseName}'", nameof(phaseName));
    }
}
