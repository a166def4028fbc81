using System.Globalization;

namespace RecOperator.Operator.Autoscaling;

/// <summary>
/// The control loop's decision as a pure function: scale up at once (rate-bounded unless in panic), scale down only
/// after the stabilization window, hold when metrics are missing, add capacity when p99 breaks the SLO, and spill
/// pending pods over to other pools. Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class ScalingPolicy(TimeProvider clock, ScalingOptions options)
{
    public ScalingOptions Options { get; } = options;

    public ScalingDecision Decide(ScalingInput input, ScalingState previous)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(previous);
        // Replicas in a pool the variant may no longer use (the pool left its nodePools, or the NodePool was deleted) are
        // leaving: the reconciler builds no Deployment there. Counted as held they would satisfy the variant's min while
        // nothing serves (or soon will not), and with no pods there are no metrics to undo it.
        var decision = DecideOnEligible(input, previous with { Replicas = EligibleOnly(previous.Replicas, input.Variants) });
        // Those that still serve stay until the variant's replicas where it may run are ready (make before break).
        var reasons = decision.Reasons.ToList();
        var replicas = LeavingPools.Keep(previous.Replicas, decision.Replicas, input.Variants, input.Actual, reasons);
        var grown = StartingReplicas.Grown(previous.GrownAt, previous.Replicas, replicas, clock.GetUtcNow(), Options.StartTimeout);
        // Changed against what was placed, gone pools included: dropping them is a change the reconciler must act on.
        return decision with
        {
            Replicas = replicas,
            Reasons = reasons,
            State = decision.State with { Replicas = replicas, GrownAt = grown },
            Changed = !SameReplicas(replicas, previous.Replicas),
        };
    }

    /// <summary>The replicas placed in pools their variant may still use (a variant's candidate lists only those).</summary>
    internal static IReadOnlyDictionary<PlacementKey, int> EligibleOnly(IReadOnlyDictionary<PlacementKey, int> replicas, IReadOnlyList<VariantCandidate> variants) =>
        replicas.Where(r => variants.Any(v => v.Name == r.Key.Variant && v.Pools.Contains(r.Key.Pool, StringComparer.Ordinal)))
            .ToDictionary(r => r.Key, r => r.Value);

    private ScalingDecision DecideOnEligible(ScalingInput input, ScalingState previous)
    {
        var now = clock.GetUtcNow();
        if (input.DemandQps is not { } windowDemand || !double.IsFinite(windowDemand))
        {
            return Hold(input, previous);
        }

        var reasons = new List<string>();
        var recent = input.RecentDemandQps is { } r && double.IsFinite(r) ? r : windowDemand;
        var demand = Math.Max(windowDemand, recent);
        var panic = previous.LastDemandQps is > 0 && recent >= Options.PanicRatio * previous.LastDemandQps.Value;
        if (panic)
        {
            reasons.Add(Format("Panic: demand jumped from {0:F0} to {1:F0} QPS; scaling without rate limit", previous.LastDemandQps!.Value, recent));
        }

        var required = demand * (1 + input.Headroom);
        var breach = input.VariantP99Ms.Where(p => p.Value > input.SloP99Ms).ToList();
        // Traffic with no p99 measured (a scrape gap, a histogram not exported yet) says nothing about latency: it
        // neither ends a breach nor clears what the guard remembers of it, or every gap would restart the count.
        var p99Unknown = input.VariantP99Ms.Count == 0 && demand > 0;
        var breachSince = breach.Count > 0 ? previous.SloBreachSince ?? now : p99Unknown ? previous.SloBreachSince : null;
        var streak = BreachWindows(breachSince, now);
        // Replicas asked for and not ready yet, unless so long ago that they are stuck: a crash-looping pod must not
        // hold the guard (or removals) for as long as it loops.
        var starting = StartingReplicas.Find(previous, input.Actual, now, Options.StartTimeout);
        var worst = breach.Count > 0 ? breach.Max(p => p.Value) : (double?)null;
        var guard = p99Unknown
            ? new SloGuard.Verdict(false, previous.SloGuard, null)
            : SloGuard.Evaluate(previous.SloGuard, worst, string.Join(", ", breach.Select(p => p.Key)), streak, starting.Count > 0, now, Options);
        if (guard.Boost)
        {
            var boosted = CapacityOf(previous.Replicas, input.Variants) * (1 + Options.SloGuardBoost);
            required = Math.Max(required, boosted);
        }

        if (guard.Reason is { } guardReason)
        {
            reasons.Add(guardReason);
        }

        var history = previous.History.Where(h => now - h.At < Options.StabilizationWindow).Append(new DemandRecord(now, required)).ToList();
        var stabilized = history.Max(h => h.RequiredQps);
        var holding = stabilized > required * 1.0001;
        if (holding)
        {
            reasons.Add(Format("Stabilizing: keeping capacity for {0:F0} QPS (now {1:F0}) until the window passes", stabilized, required));
        }

        var limits = PendingSpill.UpdateLimits(input, previous, now, Options.PoolFullBackoff, reasons);
        var pools = PendingSpill.Apply(input.Pools, limits, now);
        var problem = new PlacementProblem { Variants = input.Variants, Pools = pools, DemandQps = stabilized, MinTotalReplicas = input.MinTotalReplicas };
        // The reserve follows the demand the fleet is sized for, not the headroom above it.
        double ReserveFor(double requiredQps) => Options.PreemptibleReserve * requiredQps / (1 + input.Headroom);
        var reserve = Hysteresis.Reserve(previous.Replicas, problem, ReserveFor(stabilized), Options.ReserveTolerance);
        var target = ReservePlacement.Solve(problem, reserve);
        if (!target.IsFeasible)
        {
            reasons.Add(Format("Short of capacity: {0:F0} QPS cannot be placed in any eligible pool", target.ShortfallQps));
        }

        var capacities = PendingSpill.KnownCapacities(input.Pools);
        var regained = PendingSpill.Regained(previous, limits, capacities, now);
        var goal = Hysteresis.Choose(previous.Replicas, target, problem, Options.HysteresisBand, reserve, regained, reasons);
        if (holding && previous.Replicas.Count > 0)
        {
            var settled = ReservePlacement.Solve(problem with { DemandQps = required }, ReserveFor(required));
            goal = SettledPath.Keep(goal, previous.Replicas, settled, problem, reasons);
        }

        if (reserve > 0 && problem.Pools.Any(p => p.Preemptible))
        {
            goal = ReserveBridge.Apply(goal, PlacementSolver.Solve(problem), problem, stabilized / (1 + input.Headroom), input.Actual, reasons);
        }

        // A rising measurement lags: the recent window still holds samples from before the rise. Removing replicas on
        // it (a bridge retired, a move to a cheaper shape) can remove what the next sync, measuring the new level in
        // full, adds back; such removals wait a sync.
        var rising = previous.LastDemandQps is > 0 && demand > Options.RisingRatio * previous.LastDemandQps.Value
            ? Format("Rising: demand grew from {0:F0} to {1:F0} QPS since the last sync; removals wait until it is measured in full", previous.LastDemandQps!.Value, demand)
            : null;
        var next = PlacementTransition.Step(previous.Replicas, goal, input.Actual, Options, panic, rising, starting, reasons);
        var found = Within(previous.FoundAt, now);
        if (found is not null)
        {
            next = KeepFound(next, previous.Replicas, reasons,
                Format("Restarted: keeping the replicas found running until {0:F0} s of fresh measurements have passed", Options.StabilizationWindow.TotalSeconds));
        }

        // After an outage the requirements measured before it may have aged out of the window, and the first fresh
        // sample alone would size the fleet: the same blind spot as a restart, kept the same way. A gap no longer than
        // a metrics window (a new placement's first pod not scraped twice yet) is not one: the fresh sample's window
        // spans it, and the history still holds what came before.
        var measuredAgain = previous.UnmeasuredSince is { } blindSince && now - blindSince > Options.MetricsWindow
            ? now
            : Within(previous.MeasuredAgainAt, now);
        if (measuredAgain is not null)
        {
            next = KeepFound(next, previous.Replicas, reasons,
                Format("MetricsReturned: keeping the replicas held through the metrics outage until {0:F0} s of fresh measurements have passed", Options.StabilizationWindow.TotalSeconds));
        }

        var state = new ScalingState
        {
            Replicas = next, History = history, SloBreachSince = breachSince, SloGuard = guard.State, LastDemandQps = demand, PoolLimits = limits, FoundAt = found,
            PoolCapacities = capacities, MeasuredAgainAt = measuredAgain, GrownAt = previous.GrownAt,
        };
        return new ScalingDecision
        {
            Replicas = next, Target = target, Reasons = reasons, MetricsAvailable = true, Panic = panic,
            SloGuard = guard.Boost, SloGuardHeld = guard.State?.StoppedBecause is not null, State = state,
        };
    }

    /// <summary>
    /// Held replicas brought within the bounds: a fleet below the minimal placement's total (the model's minimum
    /// total raised, or a fleet scaled to zero) and a variant below its min get the minimal placement's replicas where
    /// they have fewer; a variant above its max loses replicas from its largest placements first.
    /// </summary>
    internal static IReadOnlyDictionary<PlacementKey, int> WithinBounds(IReadOnlyDictionary<PlacementKey, int> held, IReadOnlyDictionary<PlacementKey, int> minimum,
        IReadOnlyList<VariantCandidate> variants)
    {
        var result = held.ToDictionary(r => r.Key, r => r.Value);
        if (result.Values.Sum() < minimum.Values.Sum())
        {
            foreach (var (key, count) in minimum)
            {
                result[key] = Math.Max(result.GetValueOrDefault(key), count);
            }
        }

        foreach (var variant in variants)
        {
            int Total() => result.Where(r => r.Key.Variant == variant.Name).Sum(r => r.Value);
            if (Total() < variant.MinReplicas)
            {
                foreach (var (key, count) in minimum.Where(m => m.Key.Variant == variant.Name))
                {
                    result[key] = Math.Max(result.GetValueOrDefault(key), count);
                }
            }

            while (Total() > variant.MaxReplicas)
            {
                var largest = result.Where(r => r.Key.Variant == variant.Name && r.Value > 0).MaxBy(r => r.Value).Key;
                result[largest]--;
            }
        }

        return result;
    }

    /// <summary>The time, while a stabilization window after it has not passed yet; null after (or without one).</summary>
    private DateTimeOffset? Within(DateTimeOffset? at, DateTimeOffset now) => at is { } t && now - t < Options.StabilizationWindow ? t : null;

    /// <summary>
    /// Within a window of taking over a running fleet, or of metrics coming back: every placement keeps at least the
    /// replicas found.
    /// </summary>
    private static IReadOnlyDictionary<PlacementKey, int> KeepFound(IReadOnlyDictionary<PlacementKey, int> next, IReadOnlyDictionary<PlacementKey, int> found,
        List<string> reasons, string reason)
    {
        var kept = next.ToDictionary(n => n.Key, n => n.Value);
        foreach (var (key, count) in found)
        {
            kept[key] = Math.Max(count, kept.GetValueOrDefault(key));
        }

        if (!SameReplicas(kept, next))
        {
            reasons.Add(reason);
        }

        return kept;
    }

    // The p99 first seen above the SLO covers one whole window; each further window of breach since adds one. Syncs
    // rarely land exactly on a window's end, so the one nearest it (half a sync early at most) closes the window.
    private int BreachWindows(DateTimeOffset? since, DateTimeOffset now) => since is { } start
        ? 1 + (int)Math.Floor((now - start + (Options.SyncPeriod / 2)) / Options.MetricsWindow)
        : 0;

    internal static double CapacityOf(IReadOnlyDictionary<PlacementKey, int> replicas, IReadOnlyList<VariantCandidate> variants) =>
        replicas.Sum(r => r.Value * (variants.FirstOrDefault(v => v.Name == r.Key.Variant)?.QpsPerReplica ?? 0));

    private ScalingDecision Hold(ScalingInput input, ScalingState previous)
    {
        // Never scale down blind: without demand the only safe move is to keep what runs (or the minimum at start),
        // within each variant's bounds: a spec that raises min or lowers max applies without metrics too.
        var minimum = PlacementSolver.Solve(new PlacementProblem { Variants = input.Variants, Pools = input.Pools, DemandQps = 0, MinTotalReplicas = input.MinTotalReplicas }).Replicas;
        var replicas = previous.Replicas.Count == 0 ? minimum : WithinBounds(previous.Replicas, minimum, input.Variants);
        var why = input.Unmeasured.Count > 0 ? $" ({string.Join("; ", input.Unmeasured)})" : string.Empty;
        // Holding is what happens unless the bounds themselves moved: then the reason must say so, or a ScaledDown
        // Event would read "holding replicas".
        var moved = previous.Replicas.Count > 0 && !SameReplicas(replicas, previous.Replicas);
        var reasons = new[]
        {
            moved
                ? $"MetricsMissing: demand could not be measured{why}; replicas moved only to stay within the spec's bounds (variants' min and max, minTotalReplicas)"
                : $"MetricsMissing: demand could not be measured{why}; holding replicas",
        };
        var placement = new Placement { Replicas = replicas };
        return new ScalingDecision
        {
            Replicas = replicas, Target = placement, Reasons = reasons, MetricsAvailable = false, Unmeasured = input.Unmeasured,
            State = previous with { Replicas = replicas, UnmeasuredSince = previous.UnmeasuredSince ?? clock.GetUtcNow() },
        };
    }

    private static bool SameReplicas(IReadOnlyDictionary<PlacementKey, int> a, IReadOnlyDictionary<PlacementKey, int> b) =>
        a.Where(x => x.Value != 0).Count() == b.Where(x => x.Value != 0).Count()
        && a.Where(x => x.Value != 0).All(x => b.TryGetValue(x.Key, out var n) && n == x.Value);

    private static string Format(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
