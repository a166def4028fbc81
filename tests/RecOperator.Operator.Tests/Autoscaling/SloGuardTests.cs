using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Tests.Autoscaling;

/// <summary>
/// The SLO guard through <see cref="ScalingPolicy.Decide"/> against a small world whose p99 depends only on how many
/// boosts the guard has made: demand is flat, so any capacity beyond it is the guard's doing.
/// </summary>
public sealed class SloGuardTests
{
    private const double Slo = 25;
    private static readonly TimeSpan Sync = TimeSpan.FromSeconds(5);
    private readonly ManualClock _clock = new();

    private static ScalingInput Input(double p99, IReadOnlyDictionary<PlacementKey, int> running) => new()
    {
        DemandQps = 3000,
        Variants = [new("cpu-int8", 450, 0, 200, ["cpu-ondemand"])],
        Pools = [new("cpu-ondemand", 0.12, null)],
        SloP99Ms = Slo,
        VariantP99Ms = new Dictionary<string, double> { ["cpu-int8"] = p99 },
        // Every replica asked for is ready by the next sync, so only the guard's own settle time paces it.
        Actual = ActualReplicas.AllReady(running),
    };

    /// <summary>Runs 10 minutes of syncs; p99 is <paramref name="p99AfterBoosts"/>[boosts so far] (the last one after that).</summary>
    /// <param name="unmeasured">The syncs at which no p99 was measured (a scrape gap), though demand was.</param>
    private List<ScalingDecision> Run(double[] p99AfterBoosts, ScalingPolicy policy, Func<int, bool>? unmeasured = null)
    {
        var decisions = new List<ScalingDecision>();
        var state = ScalingState.Initial;
        var boosts = 0;
        for (var sync = 0; sync < 120; sync++)
        {
            var p99 = p99AfterBoosts[Math.Min(boosts, p99AfterBoosts.Length - 1)];
            var input = Input(p99, state.Replicas);
            var decision = policy.Decide(unmeasured?.Invoke(sync) == true ? input with { VariantP99Ms = new Dictionary<string, double>() } : input, state);
            boosts += decision.SloGuard ? 1 : 0;
            decisions.Add(decision);
            state = decision.State;
            _clock.Advance(Sync);
        }

        return decisions;
    }

    [Theory]
    [InlineData("boost helps until p99 is under the SLO", new[] { 40.0, 33, 28, 20 }, 3, false, null)]
    [InlineData("boost does not help", new[] { 40.0, 40 }, 1, true, "SloGuardHeld: p99 is 40 ms after the last boost, 40 ms before it")]
    [InlineData("boost lowers p99 by less than 5%", new[] { 40.0, 39 }, 1, true, "SloGuardHeld: p99 is 39 ms after the last boost")]
    [InlineData("first boost helps, second does not", new[] { 40.0, 30, 30 }, 2, true, "SloGuardHeld: p99 is 30 ms after the last boost, 30 ms before it")]
    [InlineData("every boost helps but p99 stays above the SLO", new[] { 60.0, 50, 42, 35, 30 }, 4, true, "SloGuardHeld: 4 boosts in this breach")]
    public void Decide_BreachThatBoostsDoOrDoNotFix_BoostsOnlyWhileTheLastBoostHelped(
        string scenario, double[] p99AfterBoosts, int expectedBoosts, bool expectedHeld, string? expectedReason)
    {
        var decisions = Run(p99AfterBoosts, new ScalingPolicy(_clock, new ScalingOptions()));

        decisions.Count(d => d.SloGuard).Should().Be(expectedBoosts, scenario);
        decisions[^1].SloGuardHeld.Should().Be(expectedHeld, scenario);
        if (expectedReason is null)
        {
            decisions[^1].State.SloGuard.Should().BeNull("p99 is back under the SLO, which ends the breach");
        }
        else
        {
            decisions[^1].Reasons.Should().Contain(r => r.StartsWith(expectedReason, StringComparison.Ordinal), scenario);
        }
    }

    [Fact]
    public void Decide_BreachWithP99GapsBetweenMeasurements_GapsNeitherEndTheBreachNorTheGuardsMemory()
    {
        // p99 is 40 ms whatever the guard does, and every 20th sync (100 s) a scrape gap leaves it unmeasured while QPS
        // still is. Unknown is not within the SLO: the breach goes on through a gap, and a guard that stopped stays
        // stopped instead of boosting again after each gap.
        var decisions = Run([40.0, 40], new ScalingPolicy(_clock, new ScalingOptions()), sync => sync % 20 == 19);

        decisions.Count(d => d.SloGuard).Should().Be(1);
        decisions[^1].SloGuardHeld.Should().BeTrue();
        decisions[^1].State.SloBreachSince.Should().NotBeNull();
    }

    [Theory]
    [InlineData("a breach shorter than two 60 s windows (its p99s overlap)", 60, 12, -1)]
    [InlineData("the sync nearest the end of the second 60 s window", 60, 13, 12)]
    [InlineData("windows as short as the sync (the simulator's p99)", 5, 2, 1)]
    public void Decide_BreachCountedInWholeWindows_BoostsOnlyOnceTwoWindowsBreached(string scenario, int windowSeconds, int breachingSyncs, int expectedFirstBoost)
    {
        var policy = new ScalingPolicy(_clock, new ScalingOptions { MetricsWindow = TimeSpan.FromSeconds(windowSeconds) });
        var state = ScalingState.Initial;
        var firstBoost = -1;
        for (var sync = 0; sync < breachingSyncs + 2 && firstBoost < 0; sync++)
        {
            var decision = policy.Decide(Input(sync < breachingSyncs ? 40 : 20, state.Replicas), state);
            firstBoost = decision.SloGuard ? sync : -1;
            state = decision.State;
            _clock.Advance(Sync);
        }

        firstBoost.Should().Be(expectedFirstBoost, scenario);
    }

    [Fact]
    public void Decide_BoostDidNotHelp_NeverAddsCapacityBeyondTheFirstBoost()
    {
        var decisions = Run([40.0], new ScalingPolicy(_clock, new ScalingOptions()));

        var firstBoost = decisions.First(d => d.SloGuard).Replicas.Values.Sum();
        firstBoost.Should().Be(10, "8 replicas carry 3000 QPS with headroom; the boost adds 25%");
        decisions.Max(d => d.Replicas.Values.Sum()).Should().Be(firstBoost);
        decisions[^1].Replicas.Values.Sum().Should().Be(8, "the useless boost ages out with the stabilization window");
    }

    [Fact]
    public void Decide_BoostNotYetServedTheSettleTime_WaitsBeforeJudgingIt()
    {
        var decisions = Run([40.0], new ScalingPolicy(_clock, new ScalingOptions { MetricsWindow = TimeSpan.FromSeconds(60) }));

        var boost = decisions.FindIndex(d => d.SloGuard);
        var held = decisions.FindIndex(d => d.SloGuardHeld);
        decisions[boost + 1].Reasons.Should().Contain(r => r.StartsWith("SloGuard: judging the last boost (p99 was 40 ms)", StringComparison.Ordinal));
        (held - (boost + 1)).Should().Be(12, "the boost's replicas were ready one sync after it and must serve 60 s (12 syncs)");
    }

    [Fact]
    public void Decide_P99BackUnderSloAfterAHold_NextBreachBoostsAgain()
    {
        var policy = new ScalingPolicy(_clock, new ScalingOptions());
        var held = Run([40.0], policy)[^1];
        held.SloGuardHeld.Should().BeTrue();

        var recovered = policy.Decide(Input(20, held.State.Replicas), held.State);
        _clock.Advance(Sync);
        var breach = policy.Decide(Input(40, recovered.State.Replicas), recovered.State);
        _clock.Advance(policy.Options.MetricsWindow);
        var again = policy.Decide(Input(40, breach.State.Replicas), breach.State);

        recovered.State.SloGuard.Should().BeNull();
        recovered.State.SloBreachSince.Should().BeNull();
        again.SloGuard.Should().BeTrue("a new breach starts with a fresh guard");
        again.SloGuardHeld.Should().BeFalse();
    }
}
