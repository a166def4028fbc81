namespace RecOperator.Operator.Autoscaling;

/// <summary>
/// Turns pods stuck in Pending into full pools, so the solver spills their replicas elsewhere. The limit is
/// remembered for a back-off period: once the pending pods are gone nothing shows the pool is still full. The one
/// thing that does show it has room again is its capacity growing (nodes added or back, larger nodes): then the limit
/// goes at once, so replicas move back without waiting out the back-off. A retry that finds the pool full again doubles
/// the back-off (up to <see cref="MaxBackoffFactor"/> times it), as cluster-autoscaler backs off a node group that failed
/// to scale: a pool that stays down is not handed a fresh set of pending pods every few minutes. A retry whose replicas
/// all become ready there, or a pool that grew, starts over.
/// </summary>
internal static class PendingSpill
{
    /// <summary>The longest back-off, in multiples of the first (5 min -> 30 min).</summary>
    public const int MaxBackoffFactor = 6;

    /// <summary>The pools' limits, lapsed ones included (they remember how often the pool was found full); see <see cref="Apply"/>.</summary>
    public static IReadOnlyDictionary<string, PoolLimit> UpdateLimits(ScalingInput input, ScalingState previous, DateTimeOffset now, TimeSpan backoff, List<string> reasons)
    {
        var capacity = input.Pools.ToDictionary(p => p.Name, p => p.Capacity, StringComparer.Ordinal);
        var limits = new Dictionary<string, PoolLimit>(StringComparer.Ordinal);
        foreach (var (pool, limit) in previous.PoolLimits)
        {
            if (Grew(limit.Capacity, capacity.GetValueOrDefault(pool)) is { } grown)
            {
                if (limit.ActiveAt(now))
                {
                    reasons.Add($"PoolGrew: pool {pool} now holds {grown} replicas ({limit.Capacity} when it was found full); trying it again");
                }

                continue;
            }

            // A lapsed limit is forgotten once the retry's replicas are all ready there, or once it is older than the
            // longest back-off: the pool has served since, or nothing has asked it for long.
            if (!limit.ActiveAt(now) && (Served(pool, input.Actual, previous) || now - limit.Until > backoff * MaxBackoffFactor))
            {
                continue;
            }

            limits[pool] = limit;
        }

        foreach (var pool in input.Actual.Where(a => Short(a.Key, a.Value, previous) > 0).Select(a => a.Key.Pool).Distinct(StringComparer.Ordinal))
        {
            // What actually got scheduled is what the pool can hold right now.
            var scheduled = previous.Replicas.Where(p => p.Key.Pool == pool)
                .Sum(p => Math.Max(0, p.Value - (input.Actual.TryGetValue(p.Key, out var c) ? Short(p.Key, c, previous) : 0)));
            // Pending pods while the limit still runs are the same finding; after it lapsed, the retry failed.
            var strikes = limits.TryGetValue(pool, out var earlier) ? (earlier.ActiveAt(now) ? earlier.Strikes : earlier.Strikes + 1) : 1;
            var wait = backoff * Math.Min(MaxBackoffFactor, Math.Pow(2, strikes - 1));
            limits[pool] = new PoolLimit(scheduled, now + wait, capacity.GetValueOrDefault(pool), strikes);
            reasons.Add(strikes == 1
                ? $"PoolFull: pods pending in pool {pool}; spilling over beyond its {scheduled} scheduled replicas"
                : $"PoolFull: pods pending in pool {pool} again ({strikes} times in a row); spilling over beyond its {scheduled} scheduled replicas, next try in {wait.TotalMinutes:0} min");
        }

        return limits;
    }

    /// <summary>The model's replicas placed in the pool at the last decision are there and all ready.</summary>
    private static bool Served(string pool, IReadOnlyDictionary<PlacementKey, ReplicaCounts> actual, ScalingState previous)
    {
        var placed = previous.Replicas.Where(r => r.Key.Pool == pool && r.Value > 0).ToList();
        return placed.Count > 0 && placed.All(r => actual.TryGetValue(r.Key, out var counts) && counts.Ready >= r.Value && counts.Pending == 0);
    }

    /// <summary>
    /// Pending pods that stand for replicas the pool has not made ready: no more than the asked-for count lacks. A
    /// rolling update's surge pod is pending beside a full set of ready ones; counting it read a pool that ran every
    /// replica it was asked for as full, and spilled (or dropped) a replica below the variant's minimum.
    /// </summary>
    private static int Short(PlacementKey key, ReplicaCounts actual, ScalingState previous) =>
        Math.Min(actual.Pending, Math.Max(0, previous.Replicas.GetValueOrDefault(key) - actual.Ready));

    /// <summary>Each pool's capacity in replicas, where its NodePool status gives one.</summary>
    public static IReadOnlyDictionary<string, int> KnownCapacities(IReadOnlyList<PoolCandidate> pools) =>
        pools.Where(p => p.Capacity is not null).ToDictionary(p => p.Name, p => p.Capacity!.Value, StringComparer.Ordinal);

    /// <summary>
    /// Pools with room again since the last sync: a limit still running then and gone from <paramref name="limits"/> now
    /// (<see cref="UpdateLimits"/> lifts one early only because its pool grew), or a capacity above the last sync's (a
    /// spot pool's nodes back after its limit ran out).
    /// </summary>
    public static IReadOnlySet<string> Regained(
        ScalingState previous, IReadOnlyDictionary<string, PoolLimit> limits, IReadOnlyDictionary<string, int> capacities, DateTimeOffset now) =>
        previous.PoolLimits.Where(l => l.Value.ActiveAt(now) && !limits.ContainsKey(l.Key)).Select(l => l.Key)
            .Concat(capacities.Where(c => previous.PoolCapacities.TryGetValue(c.Key, out var before) && c.Value > before).Select(c => c.Key))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The pool's capacity now, when both it and the capacity at the limit are known and it is larger.</summary>
    private static int? Grew(int? then, int? now) => then is { } before && now is { } after && after > before ? after : null;

    /// <summary>The pools with the slots of the limits still running at <paramref name="now"/>.</summary>
    public static IReadOnlyList<PoolCandidate> Apply(IReadOnlyList<PoolCandidate> pools, IReadOnlyDictionary<string, PoolLimit> limits, DateTimeOffset now) =>
        limits.Values.All(l => !l.ActiveAt(now))
            ? pools
            : [.. pools.Select(p => limits.TryGetValue(p.Name, out var l) && l.ActiveAt(now) ? p with { Slots = Math.Min(p.Slots ?? int.MaxValue, l.Slots) } : p)];
}
