using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Tests.Autoscaling;

public sealed class PlacementSolverTests
{
    private static readonly PoolCandidate Spot = new("cpu-spot", 0.04, 40);
    private static readonly PoolCandidate OnDemand = new("cpu-ondemand", 0.12, null);
    private static readonly PoolCandidate Gpu = new("gpu", 1.10, 8);

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
    [InlineData(16000, "cpu-fp32@cpu-ondemand=6,cpu-int8@cpu-spot=40")]
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

    internal static string Describe(Placement placement) =>
        string.Join(",", placement.Replicas.OrderBy(r => r.Key.ToString(), StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}"));
}
