using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Tests.Autoscaling;

public sealed class ScalingPolicyTests
{
    private static readonly PlacementKey Spot = new("cpu-int8", "cpu-spot");
    private static readonly PlacementKey OnDemand = new("cpu-int8", "cpu-ondemand");
    private readonly ManualClock _clock = new();

    private ScalingPolicy Policy() => new(_clock, new ScalingOptions());

    private static ScalingInput Input(double? demand, int? spotSlots = 40, double? recent = null) => new()
    {
        DemandQps = demand,
        RecentDemandQps = recent,
        Variants = [new("cpu-int8", 450, 0, 100, ["cpu-spot", "cpu-ondemand"])],
        Pools = [new("cpu-spot", 0.04, spotSlots), new("cpu-ondemand", 0.12, null)],
        Headroom = 0.2,
        MinTotalReplicas = 2,
        SloP99Ms = 25,
    };

    [Fact]
    public void Decide_DemandRises_ScalesUpAtOnce()
    {
        var first = Policy().Decide(Input(3000), ScalingState.Initial);
        var second = Policy().Decide(Input(6000) with { Actual = ActualReplicas.AllReady(first.Replicas) }, first.State);

        first.Replicas[Spot].Should().Be(8);
        second.Replicas[Spot].Should().Be(16);
        second.Changed.Should().BeTrue();
    }

    [Fact]
    public void Explanation_NoRuleSteppedIn_NamesTheDemandThePlacementIsSizedFor()
    {
        var first = Policy().Decide(Input(3000), ScalingState.Initial);
        var second = Policy().Decide(Input(3000) with { Actual = ActualReplicas.AllReady(first.Replicas) }, first.State);

        first.Reasons.Should().BeEmpty();
        first.Explanation.Should().Be("cheapest placement for 3000 QPS measured (3600 QPS with headroom)");
        second.Changed.Should().BeFalse();
    }

    [Fact]
    public void Explanation_RulesSteppedIn_JoinsTheirReasons()
    {
        var policy = Policy();
        var state = policy.Decide(Input(6000), ScalingState.Initial).State;
        _clock.Advance(TimeSpan.FromSeconds(5));

        var decision = policy.Decide(Input(1000) with { Actual = ActualReplicas.AllReady(state.Replicas) }, state);

        decision.Reasons.Should().NotBeEmpty();
        decision.Explanation.Should().Be(string.Join("; ", decision.Reasons)).And.StartWith("Stabilizing: keeping capacity for 7200 QPS (now 1200)");
    }

    [Fact]
    public void Decide_DemandFalls_HoldsUntilStabilizationWindowPasses()
    {
        var policy = Policy();
        var state = policy.Decide(Input(6000), ScalingState.Initial).State;
        ScalingDecision decision;
        var elapsed = TimeSpan.Zero;
        do
        {
            _clock.Advance(TimeSpan.FromSeconds(5));
            elapsed += TimeSpan.FromSeconds(5);
            decision = policy.Decide(Input(1000) with { Actual = ActualReplicas.AllReady(state.Replicas) }, state);
            state = decision.State;
        }
        while (decision.Replicas[Spot] == 16 && elapsed < TimeSpan.FromMinutes(10));

        elapsed.Should().Be(TimeSpan.FromSeconds(120));
        decision.Replicas[Spot].Should().BeLessThan(16);
    }

    [Fact]
    public void Decide_FleetFoundAtRestartWithLowerDemand_KeepsItForAWindowThenScalesDown()
    {
        // An operator restart found 16 spot replicas running; the fresh demand needs about 3.
        var policy = Policy();
        var found = new ScalingState { Replicas = new Dictionary<PlacementKey, int> { [Spot] = 16 }, FoundAt = _clock.GetUtcNow() };
        var state = found;
        var kept = new List<int>();
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromSeconds(125); elapsed += TimeSpan.FromSeconds(5))
        {
            var decision = policy.Decide(Input(1000) with { Actual = ActualReplicas.AllReady(state.Replicas) }, state);
            kept.Add(decision.Replicas[Spot]);
            state = decision.State;
            _clock.Advance(TimeSpan.FromSeconds(5));
        }

        kept.Take(24).Should().OnlyContain(n => n == 16, "nothing is removed within the 120 s window after the takeover");
        kept[^1].Should().BeLessThan(16);
        state.FoundAt.Should().BeNull();
    }

    [Fact]
    public void Decide_FleetFoundAtRestartThatFitsTheDemand_ChangesNothing()
    {
        // What the policy itself would have placed for 1,000 QPS, found running after a restart: no thrash.
        var placed = Policy().Decide(Input(1000), ScalingState.Initial).Replicas;
        var found = new ScalingState { Replicas = placed, FoundAt = _clock.GetUtcNow() };

        var decision = Policy().Decide(Input(1000) with { Actual = ActualReplicas.AllReady(placed) }, found);

        decision.Changed.Should().BeFalse(string.Join("; ", decision.Reasons));
    }

    [Fact]
    public void Decide_FleetFoundAtRestartWithHigherDemand_ScalesUpAtOnce()
    {
        var found = new ScalingState { Replicas = new Dictionary<PlacementKey, int> { [Spot] = 2 }, FoundAt = _clock.GetUtcNow() };

        var decision = Policy().Decide(Input(3000) with { Actual = ActualReplicas.AllReady(found.Replicas) }, found);

        decision.Replicas[Spot].Should().BeGreaterThan(2);
    }

    [Theory]
    [InlineData(1, 3, 5, 3)]
    [InlineData(8, 0, 5, 5)]
    [InlineData(4, 2, 6, 4)]
    public void Decide_MetricsMissingAfterTheBoundsChanged_HeldReplicasMoveWithinThem(int held, int min, int max, int expected)
    {
        var previous = new ScalingState { Replicas = new Dictionary<PlacementKey, int> { [Spot] = held } };
        var input = Input(null) with { Variants = [new("cpu-int8", 450, min, max, ["cpu-spot", "cpu-ondemand"])], MinTotalReplicas = 1 };

        var decision = Policy().Decide(input, previous);

        decision.MetricsAvailable.Should().BeFalse();
        decision.Replicas.Values.Sum().Should().Be(expected);
        decision.Reasons.Should().ContainSingle().Which.Should().EndWith(expected == held
            ? "; holding replicas"
            : "; replicas moved only to stay within the spec's bounds (variants' min and max, minTotalReplicas)");
    }

    [Fact]
    public void Decide_MetricsMissingWithAFleetHeldAtZero_PlacesTheMinimumTotal()
    {
        // Scaled to zero (before the floor of one replica, or by hand): no pod, so no metrics, ever. Holding zero would
        // keep the model down for good; variants' minimums of 0 do not lift it, the model's total must.
        var previous = new ScalingState { Replicas = new Dictionary<PlacementKey, int> { [Spot] = 0, [OnDemand] = 0 } };
        var input = Input(null) with { MinTotalReplicas = 1 };

        var decision = Policy().Decide(input, previous);

        decision.MetricsAvailable.Should().BeFalse();
        decision.Replicas.Where(r => r.Value > 0).Select(r => (r.Key, r.Value)).Should().Equal((Spot, 1));
        decision.Changed.Should().BeTrue();
    }

    [Fact]
    public void Decide_MetricsMissingAfterThePoolLeftTheVariant_PlacesItsMinimumWhereItMayRun()
    {
        // Held in on-demand, which the spec no longer lists: the reconciler removes that Deployment, so with no pods
        // there are no metrics, and counting the held replicas toward min would leave the variant with none for good.
        var previous = new ScalingState { Replicas = new Dictionary<PlacementKey, int> { [OnDemand] = 2 } };
        var input = Input(null) with { Variants = [new("cpu-int8", 450, 1, 5, ["cpu-spot"])], MinTotalReplicas = 1 };

        var decision = Policy().Decide(input, previous);

        decision.MetricsAvailable.Should().BeFalse();
        decision.Replicas.Where(r => r.Value > 0).Select(r => (r.Key, r.Value)).Should().Equal((Spot, 1));
        decision.Changed.Should().BeTrue();
    }

    [Fact]
    public void Decide_DemandWhileHeldInAPoolTheVariantLeft_PlacesTheDemandWhereItMayRunAndKeepsTheLeftPoolUntilThatIsReady()
    {
        var previous = new ScalingState { Replicas = new Dictionary<PlacementKey, int> { [OnDemand] = 4 } };
        var input = Input(1000) with { Variants = [new("cpu-int8", 450, 1, 10, ["cpu-spot"])], Actual = ActualReplicas.AllReady(previous.Replicas) };
        var policy = Policy();

        var moving = policy.Decide(input, previous);
        var halfway = policy.Decide(input with { Actual = new Dictionary<PlacementKey, ReplicaCounts> { [OnDemand] = new(4, 0), [Spot] = new(2, 0) } }, moving.State);
        var moved = policy.Decide(input with { Actual = new Dictionary<PlacementKey, ReplicaCounts> { [OnDemand] = new(4, 0), [Spot] = new(3, 0) } }, halfway.State);

        moving.Replicas[Spot].Should().Be(3, "1,000 QPS with 20% headroom at 450 per replica");
        moving.Replicas[OnDemand].Should().Be(4, "its pods serve until the spot ones are ready (make before break)");
        moving.Reasons.Should().Contain("LeavingPool: cpu-int8@cpu-ondemand keeps its replicas until cpu-int8@cpu-spot 0/3 are ready");
        moving.Changed.Should().BeTrue();
        halfway.Replicas[OnDemand].Should().Be(4);
        halfway.Changed.Should().BeFalse();
        moved.Replicas.GetValueOrDefault(OnDemand).Should().Be(0);
        moved.Replicas[Spot].Should().Be(3);
        moved.Changed.Should().BeTrue();
    }

    [Fact]
    public void Decide_VariantLeftWithNoPoolItMayUse_KeepsItsServingReplicasWhereTheyAre()
    {
        var previous = new ScalingState { Replicas = new Dictionary<PlacementKey, int> { [OnDemand] = 3 } };
        var input = Input(1000) with { Variants = [new("cpu-int8", 450, 1, 10, [])], Actual = ActualReplicas.AllReady(previous.Replicas) };

        var decision = Policy().Decide(input, previous);

        decision.Replicas.Where(r => r.Value > 0).Select(r => (r.Key, r.Value)).Should().Equal((OnDemand, 3));
        decision.Reasons.Should().Contain("LeavingPool: cpu-int8@cpu-ondemand keeps its replicas: the variant may run in no pool now, so nothing would replace them");
        decision.Changed.Should().BeFalse();
    }

    [Fact]
    public void Decide_MetricsMissingWhileLeavingAServingPool_KeepsItAndPlacesTheMinimumWhereTheVariantMayRun()
    {
        var previous = new ScalingState { Replicas = new Dictionary<PlacementKey, int> { [OnDemand] = 2 } };
        var input = Input(null) with { Variants = [new("cpu-int8", 450, 1, 5, ["cpu-spot"])], MinTotalReplicas = 1, Actual = ActualReplicas.AllReady(previous.Replicas) };

        var decision = Policy().Decide(input, previous);

        decision.MetricsAvailable.Should().BeFalse();
        decision.Replicas.Where(r => r.Value > 0).Select(r => (r.Key, r.Value)).Should().BeEquivalentTo([(Spot, 1), (OnDemand, 2)]);
        decision.State.Replicas.Should().BeEquivalentTo(decision.Replicas, "the next decision must still know what it keeps");
    }

    [Fact]
    public void Decide_MetricsMissing_HoldsAndReportsUnavailable()
    {
        var first = Policy().Decide(Input(6000), ScalingState.Initial);
        _clock.Advance(TimeSpan.FromMinutes(10));

        var held = Policy().Decide(Input(null), first.State);

        held.MetricsAvailable.Should().BeFalse();
        held.Replicas.Should().BeEquivalentTo(first.Replicas);
        held.Reasons.Should().ContainSingle(r => r.StartsWith("MetricsMissing", StringComparison.Ordinal));
    }

    [Fact]
    public void Decide_P99AboveSloForTwoWindows_AddsCapacityAtSameQps()
    {
        var policy = Policy();
        var state = policy.Decide(Input(3000), ScalingState.Initial).State;
        var breaching = Input(3000) with { VariantP99Ms = new Dictionary<string, double> { ["cpu-int8"] = 40 }, Actual = ActualReplicas.AllReady(state.Replicas) };

        var once = policy.Decide(breaching, state);
        _clock.Advance(policy.Options.MetricsWindow);
        var twice = policy.Decide(breaching, once.State);

        once.SloGuard.Should().BeFalse();
        once.Replicas[Spot].Should().Be(8);
        twice.SloGuard.Should().BeTrue();
        twice.Replicas[Spot].Should().Be(10);
    }

    [Fact]
    public void Decide_P99AboveSloWhileReplicasStart_DoesNotCompoundTheBoost()
    {
        var policy = Policy();
        var state = policy.Decide(Input(3000), ScalingState.Initial).State;
        var starting = new Dictionary<PlacementKey, ReplicaCounts> { [Spot] = new(4, 0) };
        var breaching = Input(3000) with { VariantP99Ms = new Dictionary<string, double> { ["cpu-int8"] = 40 }, Actual = starting };

        var once = policy.Decide(breaching, state);
        _clock.Advance(policy.Options.MetricsWindow);
        var twice = policy.Decide(breaching, once.State);

        twice.SloGuard.Should().BeFalse();
        twice.Replicas[Spot].Should().Be(8);
    }

    [Theory]
    [InlineData(2000, 9000, true, 24)]
    [InlineData(2000, 3900, false, 11)]
    public void Decide_DemandJump_PanicLiftsTheRateLimit(double before, double after, bool panic, int expected)
    {
        var policy = Policy();
        var state = policy.Decide(Input(before), ScalingState.Initial).State;

        var decision = policy.Decide(Input(after, recent: after) with { Actual = ActualReplicas.AllReady(state.Replicas) }, state);

        decision.Panic.Should().Be(panic);
        decision.Replicas.Values.Sum().Should().Be(expected);
    }

    [Fact]
    public void Decide_GrowthBeyondRateWithoutPanic_IsLimited()
    {
        var policy = new ScalingPolicy(_clock, new ScalingOptions { ScaleUpFactor = 1.2 });
        var state = policy.Decide(Input(10000), ScalingState.Initial).State;

        var decision = policy.Decide(Input(15000) with { Actual = ActualReplicas.AllReady(state.Replicas) }, state);

        decision.Panic.Should().BeFalse();
        decision.Replicas.Values.Sum().Should().Be(33);
        decision.Reasons.Should().Contain(r => r.StartsWith("RateLimited", StringComparison.Ordinal));
    }

    [Fact]
    public void Decide_PendingPodsInFullPool_SpillOverToNextPool()
    {
        var policy = Policy();
        var state = policy.Decide(Input(6000, spotSlots: null), ScalingState.Initial).State;
        var actual = new Dictionary<PlacementKey, ReplicaCounts> { [Spot] = new(10, 6) };

        var decision = policy.Decide(Input(6000, spotSlots: null) with { Actual = actual }, state);

        decision.Replicas[Spot].Should().Be(10);
        decision.Replicas[OnDemand].Should().Be(6);
        decision.Reasons.Should().Contain(r => r.StartsWith("PoolFull", StringComparison.Ordinal));
    }

    [Fact]
    public void Decide_RollingUpdatesSurgePodPendingBesideEveryReplicaReady_IsNotAFullPool()
    {
        // A rollout's surge pod waits for room beside the 16 ready replicas asked for: the pool holds all of them, and
        // reading it as full dropped a replica there (below a variant's minimum in a pool of exactly its size).
        var policy = Policy();
        var state = policy.Decide(Input(6000, spotSlots: null), ScalingState.Initial).State;
        var actual = new Dictionary<PlacementKey, ReplicaCounts> { [Spot] = new(16, 1) };

        var decision = policy.Decide(Input(6000, spotSlots: null) with { Actual = actual }, state);

        decision.Replicas.Where(r => r.Value > 0).ToDictionary().Should().BeEquivalentTo(new Dictionary<PlacementKey, int> { [Spot] = 16 });
        decision.Reasons.Should().NotContain(r => r.StartsWith("PoolFull", StringComparison.Ordinal));
        decision.State.PoolLimits.Should().BeEmpty();
    }

    [Fact]
    public void Decide_FullPoolAfterPendingCleared_StaysAvoidedUntilBackoff()
    {
        var policy = Policy();
        var state = policy.Decide(Input(6000, spotSlots: null), ScalingState.Initial).State;
        var spilled = policy.Decide(Input(6000, spotSlots: null) with { Actual = new Dictionary<PlacementKey, ReplicaCounts> { [Spot] = new(0, 16) } }, state);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var next = policy.Decide(Input(6000, spotSlots: null) with { Actual = new Dictionary<PlacementKey, ReplicaCounts> { [OnDemand] = new(16, 0) } }, spilled.State);
        _clock.Advance(TimeSpan.FromMinutes(5));
        var retried = policy.Decide(Input(6000, spotSlots: null) with { Actual = ActualReplicas.AllReady(next.Replicas) }, next.State);

        spilled.Replicas.Should().BeEquivalentTo(new Dictionary<PlacementKey, int> { [OnDemand] = 16 });
        next.Replicas.Should().BeEquivalentTo(spilled.Replicas);
        retried.Replicas[Spot].Should().Be(16);
    }

    [Fact]
    public void Decide_RetryFindsThePoolFullAgain_BackoffDoublesUntilARetryIsServed()
    {
        var policy = Policy();
        var pendingInSpot = new Dictionary<PlacementKey, ReplicaCounts> { [Spot] = new(0, 16), [OnDemand] = new(16, 0) };
        var state = policy.Decide(Input(6000, spotSlots: null), ScalingState.Initial).State;
        var first = policy.Decide(Input(6000, spotSlots: null) with { Actual = new Dictionary<PlacementKey, ReplicaCounts> { [Spot] = new(0, 16) } }, state);
        _clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(5));
        var retried = policy.Decide(Input(6000, spotSlots: null) with { Actual = ActualReplicas.AllReady(first.Replicas) }, first.State);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var again = policy.Decide(Input(6000, spotSlots: null) with { Actual = pendingInSpot }, retried.State);
        _clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(5));
        var stillAvoided = policy.Decide(Input(6000, spotSlots: null) with { Actual = ActualReplicas.AllReady(again.Replicas) }, again.State);
        _clock.Advance(TimeSpan.FromMinutes(5));
        var secondRetry = policy.Decide(Input(6000, spotSlots: null) with { Actual = ActualReplicas.AllReady(stillAvoided.Replicas) }, stillAvoided.State);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var served = policy.Decide(Input(6000, spotSlots: null) with { Actual = ActualReplicas.AllReady(secondRetry.Replicas) }, secondRetry.State);

        retried.Replicas[Spot].Should().Be(16, "the first back-off is 5 minutes");
        again.Replicas.GetValueOrDefault(Spot).Should().Be(0);
        again.Reasons.Should().Contain("PoolFull: pods pending in pool cpu-spot again (2 times in a row); spilling over beyond its 0 scheduled replicas, next try in 10 min");
        stillAvoided.Replicas.GetValueOrDefault(Spot).Should().Be(0, "a pool that failed its retry waits twice as long, not another 5 minutes");
        secondRetry.Replicas[Spot].Should().Be(16);
        served.State.PoolLimits.Should().NotContainKey("cpu-spot", "the retry's replicas are all ready there: the next finding starts over at 5 minutes");
    }

    [Fact]
    public void Decide_FullPoolWhoseCapacityGrows_IsTriedAgainBeforeTheBackoff()
    {
        var policy = Policy();
        var spilled = SpotFoundFullAtCapacity4(policy);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var unchanged = policy.Decide(WithSpotCapacity(Input(6000), 4) with { Actual = ActualReplicas.AllReady(spilled.Replicas) }, spilled.State);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var grown = policy.Decide(WithSpotCapacity(Input(6000), 20) with { Actual = ActualReplicas.AllReady(unchanged.Replicas) }, unchanged.State);

        spilled.Replicas[Spot].Should().Be(4);
        unchanged.Replicas.Should().BeEquivalentTo(spilled.Replicas, "the pool's capacity did not change, so it is still avoided");
        unchanged.State.PoolLimits.Should().ContainKey("cpu-spot");
        grown.State.PoolLimits.Should().NotContainKey("cpu-spot");
        grown.Replicas[Spot].Should().Be(16, "the grown pool takes the whole fleet again at the next sync");
        grown.Reasons.Should().Contain("PoolGrew: pool cpu-spot now holds 20 replicas (4 when it was found full); trying it again");
    }

    [Fact]
    public void Decide_FullPoolWithUnknownOrShrinkingCapacity_WaitsOutTheBackoff()
    {
        var policy = Policy();
        var spilled = SpotFoundFullAtCapacity4(policy);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var shrunk = policy.Decide(WithSpotCapacity(Input(6000), 2) with { Actual = ActualReplicas.AllReady(spilled.Replicas) }, spilled.State);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var unknown = policy.Decide(Input(6000) with { Actual = ActualReplicas.AllReady(shrunk.Replicas) }, shrunk.State);

        shrunk.State.PoolLimits.Should().ContainKey("cpu-spot");
        unknown.State.PoolLimits.Should().ContainKey("cpu-spot", "a pool whose capacity is not reported gives no sign it grew");
        unknown.Replicas[Spot].Should().Be(4);
    }

    /// <summary>Spot (reporting capacity 4) was asked for 16 replicas and scheduled 4; the decision that marks it full.</summary>
    private static ScalingDecision SpotFoundFullAtCapacity4(ScalingPolicy policy)
    {
        var state = policy.Decide(WithSpotCapacity(Input(6000), 4), ScalingState.Initial).State;
        return policy.Decide(WithSpotCapacity(Input(6000), 4) with { Actual = new Dictionary<PlacementKey, ReplicaCounts> { [Spot] = new(4, 12) } }, state);
    }

    private static ScalingInput WithSpotCapacity(ScalingInput input, int capacity) =>
        input with { Pools = [.. input.Pools.Select(p => p.Name == "cpu-spot" ? p with { Capacity = capacity } : p)] };

    [Fact]
    public void Decide_MoveBackToCheaperPool_MakesBeforeBreaking()
    {
        var policy = Policy();
        var previous = ScalingState.Initial with { Replicas = new Dictionary<PlacementKey, int> { [OnDemand] = 16 } };

        var adding = policy.Decide(Input(6000) with { Actual = ActualReplicas.AllReady(previous.Replicas) }, previous);
        var stillStarting = policy.Decide(Input(6000) with { Actual = new Dictionary<PlacementKey, ReplicaCounts> { [OnDemand] = new(16, 0), [Spot] = new(3, 0) } }, adding.State);
        var ready = policy.Decide(Input(6000) with { Actual = ActualReplicas.AllReady(adding.Replicas) }, stillStarting.State);

        adding.Replicas.Should().BeEquivalentTo(new Dictionary<PlacementKey, int> { [OnDemand] = 16, [Spot] = 16 });
        stillStarting.Replicas[OnDemand].Should().Be(16);
        ready.Replicas[OnDemand].Should().Be(13, "removals are limited to 10% of a fleet of 32 per sync");
    }

    [Fact]
    public void Decide_PreviousPlacementWithinBand_IsKept()
    {
        var previous = ScalingState.Initial with { Replicas = new Dictionary<PlacementKey, int> { [Spot] = 17 } };

        var decision = Policy().Decide(Input(6000) with { Actual = ActualReplicas.AllReady(previous.Replicas) }, previous);

        decision.Replicas.Should().BeEquivalentTo(previous.Replicas);
        decision.Changed.Should().BeFalse();
    }

    [Fact]
    public void Decide_OnePodNeverReady_DoesNotHoldTheScaleDownForever()
    {
        // 4,000 QPS, then 300 from t=200 s; one spot pod is unready (crash loop) from t=150 s, and nothing is added.
        var decisions = Run(600, t => t < 200 ? 4000 : 300, unreadyFrom: 150);

        decisions[0].Replicas[Spot].Should().Be(11);
        decisions[^1].Replicas.Values.Sum().Should().Be(2, "300 QPS needs the minimum total; a stuck pod is no replica starting");
        decisions.Where(d => d.Reasons.Any(r => r.StartsWith("MakeBeforeBreak", StringComparison.Ordinal)))
            .Should().BeEmpty("no replica was added, so none is waited for");
    }

    [Fact]
    public void Decide_P99AboveSloWithOnePodNeverReady_TheGuardStillBoosts()
    {
        var decisions = Run(600, _ => 4000, unreadyFrom: 150, p99: t => t >= 200 ? 40 : 10);

        decisions.Should().Contain(d => d.SloGuard, "a pod unready for minutes is stuck, not capacity on its way");
    }

    [Fact]
    public void Decide_ReplicasStarting_TheReasonNamesThoseWaitedFor()
    {
        var policy = Policy();
        var previous = ScalingState.Initial with { Replicas = new Dictionary<PlacementKey, int> { [OnDemand] = 16 } };
        var adding = policy.Decide(Input(6000) with { Actual = ActualReplicas.AllReady(previous.Replicas) }, previous);
        _clock.Advance(TimeSpan.FromSeconds(5));

        var starting = policy.Decide(Input(6000) with { Actual = new Dictionary<PlacementKey, ReplicaCounts> { [OnDemand] = new(16, 0), [Spot] = new(3, 0) } }, adding.State);

        starting.Reasons.Should().Contain("MakeBeforeBreak: removals wait until new replicas are ready (cpu-int8@cpu-spot 3/16 ready)");
    }

    [Fact]
    public void Decide_MetricsBackAfterAnOutage_KeepsTheFleetForAWindowOfFreshMeasurementsOnlyAfterOneLongerThanTheMetricsWindow()
    {
        // 4,000 QPS, no metrics from t=200 to 395 s, then 300 QPS.
        var outage = Run(700, t => t is >= 200 and < 400 ? null : t < 200 ? 4000 : 300);
        var held = outage[395 / 5].Replicas.Values.Sum();
        // 4,000 QPS, then 300 from t=200, one sync without metrics at t=330 (a new placement's first pod not scraped twice yet).
        var gap = Run(400, t => t == 330 ? null : t < 200 ? 4000 : 300);

        outage.Skip(400 / 5).Take(120 / 5).Should().OnlyContain(d => d.Replicas.Values.Sum() == held,
            "nothing was measured for 200 s: 300 QPS at one sync is no stabilization window of low demand");
        outage[400 / 5].Reasons.Should().Contain(r => r.StartsWith("MetricsReturned", StringComparison.Ordinal));
        outage[^1].Replicas.Values.Sum().Should().BeLessThan(held, "a window of fresh measurements later, the fleet shrinks");
        gap[335 / 5].Replicas.Values.Sum().Should().BeLessThan(gap[330 / 5].Replicas.Values.Sum(),
            "the sample after a 5 s gap covers it in its own window, and the window's demand before it is known");
    }

    [Fact]
    public void Decide_SteadyLoadWhoseNoiseLiftsTheReserveJustAboveThePlacement_KeepsItsShape()
    {
        // The sample fleet at 17.5k QPS: 9 on-demand int8 replicas and 2 GPUs reserve 17,655 QPS outside spot. One
        // sync's 5 s sample reads 17,712 (0.3% of noise): 3 GPUs would reserve it, and start a bridge while they start.
        var gpu = new PlacementKey("gpu-fp16", "gpu");
        ScalingInput Sample(double qps, IReadOnlyDictionary<PlacementKey, int> replicas) => new()
        {
            DemandQps = 17_500,
            RecentDemandQps = qps,
            Variants = [new("cpu-int8", 495, 1, 40, ["cpu-spot", "cpu-ondemand"]), new("gpu-fp16", 6600, 0, 8, ["gpu"])],
            Pools = [new("cpu-spot", 0.04, 40, Preemptible: true), new("cpu-ondemand", 0.12, null), new("gpu", 1.10, 8)],
            Headroom = 0.2,
            MinTotalReplicas = 2,
            SloP99Ms = 25,
            Actual = ActualReplicas.AllReady(replicas),
        };
        var steady = new Dictionary<PlacementKey, int> { [OnDemand] = 9, [Spot] = 8, [gpu] = 2 };
        var policy = Policy();

        var decision = policy.Decide(Sample(17_712, steady), ScalingState.Initial with { Replicas = steady });

        decision.Replicas[gpu].Should().Be(2, string.Join("; ", decision.Reasons));
        decision.Replicas[OnDemand].Should().Be(9);
        decision.Reasons.Should().NotContain(r => r.StartsWith("ReserveBridge", StringComparison.Ordinal));
    }

    /// <summary>
    /// Decisions every 5 s from t=0 to <paramref name="seconds"/>, each replica ready at once except one spot pod that
    /// is unready from <paramref name="unreadyFrom"/> on; demand null means metrics are missing.
    /// </summary>
    private List<ScalingDecision> Run(int seconds, Func<int, double?> demand, int? unreadyFrom = null, Func<int, double>? p99 = null)
    {
        var policy = Policy();
        var state = ScalingState.Initial;
        var decisions = new List<ScalingDecision>();
        for (var t = 0; t <= seconds; t += 5)
        {
            var unready = t >= unreadyFrom ? 1 : 0;
            var actual = state.Replicas.ToDictionary(r => r.Key, r => new ReplicaCounts(r.Key == Spot ? Math.Max(0, r.Value - unready) : r.Value, 0));
            var input = Input(demand(t), recent: demand(t)) with
            {
                Actual = actual,
                VariantP99Ms = new Dictionary<string, double> { ["cpu-int8"] = p99?.Invoke(t) ?? 10 },
            };
            var decision = policy.Decide(input, state);
            decisions.Add(decision);
            state = decision.State;
            _clock.Advance(TimeSpan.FromSeconds(5));
        }

        return decisions;
    }
}
