using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Tests.Autoscaling;

public sealed class PlacementSolverTests
{
    private static readonly PoolCandidate Spot = new("cpu-spot", 0.04, 40);
    private static readonly PoolCandidate OnDemand = new("cpu-ondemand", 0.12, null);
    private static readonly PoolCandidate Gpu = new("gpu", 1.10, 8);

    // The contested pool of the exploratory report: cheap, two slots, open to both CPU variants, and the only pool
    // fp32 may use.
    private static readonly PoolCandidate Reserved = new("cpu-reserved", 0.04, 2);

    private static IReadOnlyList<VariantCandidate> SampleVariants() =>
    [
        new("cpu-int8", 450, 1, 40, ["cpu-spot", "cpu-ondemand"]),
        new("cpu-fp32", 200, 0, 20, ["cpu-ondemand"]),
        new("gpu-fp16", 6000, 0, 8, ["gpu"]),
    ];

    private static Placement Solve(double demand, int minTotal = 2, params PoolCandidate[] pools) =>
        PlacementSolver.Solve(new PlacementProblem
        {
            Variants = SampleVariants(),
            Pools = pools.Length == 0 ? [Spot, OnDemand, Gpu] : pools,
            DemandQps = demand,
            Headroom = 0.2,
            MinTotalReplicas = minTotal,
        });

    [Theory]
    [InlineData(0, "cpu-int8@cpu-spot=2")]
    [InlineData(1000, "cpu-int8@cpu-spot=3")]
    [InlineData(15000, "cpu-int8@cpu-spot=40")]
    // 19200 QPS: one GPU replica and 30 int8 (2.30/h) beat 40 int8 and 6 fp32 on-demand (2.32/h).
    [InlineData(16000, "cpu-int8@cpu-spot=30,gpu-fp16@gpu=1")]
    [InlineData(15333.3, "cpu-fp32@cpu-ondemand=2,cpu-int8@cpu-spot=40")]
    [InlineData(50000, "cpu-int8@cpu-spot=40,gpu-fp16@gpu=7")]
    public void Solve_SampleFleet_PicksCheapestPerQpsAndSpillsOver(double demand, string expected)
    {
        var placement = Solve(demand);

        Describe(placement).Should().Be(expected);
        placement.CapacityQps.Should().BeGreaterThanOrEqualTo(demand * 1.2 - 1e-6);
    }

    [Fact]
    public void Solve_SpotPoolGone_SpillsToNextCheapest()
    {
        var placement = Solve(10000, 2, new PoolCandidate("cpu-spot", 0.04, 0), OnDemand, Gpu);

        placement.Get(new PlacementKey("cpu-int8", "cpu-spot")).Should().Be(0);
        placement.IsFeasible.Should().BeTrue();
        placement.CapacityQps.Should().BeGreaterThanOrEqualTo(12000);
        placement.Get(new PlacementKey("gpu-fp16", "gpu")).Should().Be(2);
    }

    [Fact]
    public void Solve_DemandBeyondEverySlot_ReportsShortfall()
    {
        var placement = Solve(1_000_000);

        placement.IsFeasible.Should().BeFalse();
        placement.ShortfallQps.Should().BeGreaterThan(0);
        placement.ForVariant("cpu-int8").Should().Be(40);
        placement.ForVariant("gpu-fp16").Should().Be(8);
    }

    [Fact]
    public void Solve_VariantMinimums_AreHonouredInCheapestPool()
    {
        var variants = new List<VariantCandidate>(SampleVariants()) { [1] = new("cpu-fp32", 200, 3, 20, ["cpu-ondemand"]) };
        var placement = PlacementSolver.Solve(new PlacementProblem { Variants = variants, Pools = [Spot, OnDemand, Gpu], DemandQps = 0, MinTotalReplicas = 2 });

        placement.ForVariant("cpu-fp32").Should().Be(3);
        placement.TotalReplicas.Should().Be(4, "int8 min 1 plus fp32 min 3 already exceed the total minimum");
    }

    [Fact]
    public void Solve_MinTotalReplicas_AddsCheapestReplicasForAvailability()
    {
        var placement = Solve(0, minTotal: 5);

        placement.TotalReplicas.Should().Be(5);
        placement.Get(new PlacementKey("cpu-int8", "cpu-spot")).Should().Be(5);
    }

    [Fact]
    public void Solve_UnknownPoolAndZeroCapacity_AreIgnored()
    {
        var placement = PlacementSolver.Solve(new PlacementProblem
        {
            Variants = [new("a", 100, 0, 10, ["missing", "p"]), new("broken", 0, 0, 10, ["p"])],
            Pools = [new("p", 1, null)],
            DemandQps = 250,
        });

        Describe(placement).Should().Be("a@p=3");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Solve_RandomSmallProblems_MatchesBruteForceWithinOneReplica(int seed)
    {
        var random = new Random(seed);
        var optimal = 0;
        for (var trial = 0; trial < 40; trial++)
        {
            var problem = BruteForcePlacement.RandomProblem(random);
            var solved = PlacementSolver.Solve(problem);
            var best = BruteForcePlacement.Cost(problem);
            if (double.IsInfinity(best))
            {
                // No placement meets every constraint: the solver's must fall short on capacity or a variant minimum.
                var brokeSomething = !solved.IsFeasible || solved.TotalReplicas < problem.MinTotalReplicas || problem.Variants.Any(v => solved.ForVariant(v.Name) < v.MinReplicas);
                brokeSomething.Should().BeTrue();
                optimal++;
                continue;
            }

            solved.CapacityQps.Should().BeGreaterThanOrEqualTo(problem.RequiredQps - 1e-6);
            solved.CostPerHour.Should().BeLessThanOrEqualTo(best + problem.Pools.Max(p => p.CostPerReplicaHour) + 1e-9);
            optimal += solved.CostPerHour <= best + 1e-9 ? 1 : 0;
        }

        optimal.Should().BeGreaterThanOrEqualTo(36, "the solver should be exactly optimal on at least 90% of small cases");
    }

    private static Placement SolveContested(double demand, int minTotal, VariantCandidate int8, VariantCandidate fp32) =>
        PlacementSolver.Solve(new PlacementProblem
        {
            Variants = [int8, fp32],
            Pools = [Reserved, OnDemand],
            DemandQps = demand,
            Headroom = 0.2,
            MinTotalReplicas = minTotal,
        });

    [Fact]
    public void Solve_MinimumOnlyPlaceableInContestedPool_MovesFlexibleVariantOut()
    {
        // int8's minimum is cheapest on reserved, but fp32 can run nowhere else: int8 must go on-demand to leave it room.
        var placement = SolveContested(300, 2,
            new("cpu-int8", 450, 2, 40, ["cpu-reserved", "cpu-ondemand"]),
            new("cpu-fp32", 200, 2, 20, ["cpu-reserved"]));

        Describe(placement).Should().Be("cpu-fp32@cpu-reserved=2,cpu-int8@cpu-ondemand=2");
        placement.IsFeasible.Should().BeTrue();
        placement.CostPerHour.Should().BeApproximately(0.32, 1e-9);
    }

    [Theory]
    // 1080 QPS: one int8 moves on-demand so one fp32 fits beside the other on reserved (1100 QPS, 0.20/h).
    [InlineData(900, "cpu-fp32@cpu-reserved=1,cpu-int8@cpu-ondemand=1,cpu-int8@cpu-reserved=1", 0)]
    // 1500 QPS is beyond every slot (int8 is capped at 2, fp32 at reserved's 2 slots: 1300 QPS); the best falls short
    // by 200, not by the 600 left when int8 keeps reserved to itself.
    [InlineData(1250, "cpu-fp32@cpu-reserved=2,cpu-int8@cpu-ondemand=2", 200)]
    public void Solve_FlexibleVariantHoldsPoolAnotherNeeds_MovesItToCoverDemand(double demand, string expected, double shortfall)
    {
        var placement = SolveContested(demand, 1,
            new("cpu-int8", 450, 0, 2, ["cpu-reserved", "cpu-ondemand"]),
            new("cpu-fp32", 200, 0, 4, ["cpu-reserved"]));

        Describe(placement).Should().Be(expected);
        placement.ShortfallQps.Should().BeApproximately(shortfall, 1e-6);
    }

    [Fact]
    public void Solve_RandomContestedProblems_MatchBruteForceExactly()
    {
        // Seeded, so a failure reproduces; 400 problems of 1-3 variants and 1-3 pools, most with scarce slots.
        var random = new Random(20261125);
        var failures = new List<string>();
        for (var trial = 0; trial < 400; trial++)
        {
            var problem = BruteForcePlacement.ContestedProblem(random);
            var solved = PlacementSolver.Solve(problem);
            var best = BruteForcePlacement.Optimum(problem);
            var wrong = BruteForcePlacement.Violations(problem, solved).ToList();
            if (best.MinimumsMet && !BruteForcePlacement.MinimumsMet(problem, solved))
            {
                wrong.Add("breaks a minimum that a placement meets");
            }
            else if (best.MinimumsMet && Math.Abs(solved.ShortfallQps - best.ShortfallQps) > 1e-6)
            {
                wrong.Add($"falls short by {solved.ShortfallQps:F1} QPS where the least is {best.ShortfallQps:F1}");
            }
            else if (best.MinimumsMet && solved.CostPerHour > best.CostPerHour + 1e-9)
            {
                wrong.Add($"costs {solved.CostPerHour:F2}/h where the least is {best.CostPerHour:F2}/h");
            }

            if (wrong.Count > 0)
            {
                failures.Add($"trial {trial}: {string.Join("; ", wrong)} ({Describe(solved)}); {BruteForcePlacement.Describe(problem)}");
            }
        }

        failures.Should().BeEmpty();
    }

    internal static string Describe(Placement placement) =>
        string.Join(",", placement.Replicas.OrderBy(r => r.Key.ToString(), StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}"));
}
