using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Tests.Autoscaling;

public sealed class CapacityModelTests
{
    private const double Profile = 400;
    private const double Slo = 25;

    /// <summary>A profile measured without its p99: the estimate starts at, and drifts back to, 400.</summary>
    private static CapacityEstimate Update(CapacityEstimate current, CapacityObservation observed) =>
        CapacityModel.Update(current, Profile, profileP99Ms: null, Slo, observed);

    private static CapacityObservation Observed(double qpsPerReplica, double p99Ms, bool settling = false) =>
        new(qpsPerReplica, p99Ms) { Settling = settling };

    [Theory]
    [InlineData(400, 30, CapacitySource.Observed, 0, 380)]
    [InlineData(400, 50, CapacitySource.Observed, 0, 200)]
    [InlineData(500, 20, CapacitySource.Observed, 400.0001, 500)]
    [InlineData(100, 10, CapacitySource.Profile, 400, 400)]
    [InlineData(double.NaN, 10, CapacitySource.Profile, 400, 400)]
    public void Update_Observation_MovesEstimateAsExpected(double qps, double p99, CapacitySource source, double low, double high)
    {
        var next = Update(CapacityEstimate.FromProfile(Profile), Observed(qps, p99));

        next.Source.Should().Be(source);
        next.QpsPerReplica.Should().BeInRange(low, high);
    }

    [Theory]
    [InlineData(null, 400)]
    [InlineData(25.0, 400)]
    [InlineData(30.0, 400)]
    [InlineData(24.0, 416.6667)]
    [InlineData(9.0, 440)]
    public void FromProfile_ProfileP99BelowSlo_AddsBoundedSlack(double? profileP99Ms, double expected)
    {
        var estimate = CapacityModel.FromProfile(Profile, profileP99Ms, Slo);

        estimate.Source.Should().Be(CapacitySource.Profile);
        estimate.QpsPerReplica.Should().BeApproximately(expected, 1e-3);
    }

    [Fact]
    public void Update_RepeatedSloBreaches_StopsAtLowerBound()
    {
        var estimate = CapacityEstimate.FromProfile(Profile);
        for (var i = 0; i < 50; i++)
        {
            estimate = Update(estimate, Observed(estimate.QpsPerReplica, 200));
        }

        estimate.QpsPerReplica.Should().Be(Profile * CapacityModel.LowerBound);
    }

    [Fact]
    public void Update_RepeatedHighLoadWithinSlo_StopsAtUpperBound()
    {
        var estimate = CapacityEstimate.FromProfile(Profile);
        for (var i = 0; i < 200; i++)
        {
            estimate = Update(estimate, Observed(estimate.QpsPerReplica * 1.5, 10));
        }

        estimate.QpsPerReplica.Should().Be(Profile * CapacityModel.UpperBound);
        estimate.Source.Should().Be(CapacitySource.Observed);
    }

    [Fact]
    public void Update_OverloadThenALongCalm_BringsTheEstimateBackNearTheProfile()
    {
        // An overload: replicas at 1.5x the profile with a backlog's p99, for a minute of syncs.
        var estimate = CapacityEstimate.FromProfile(Profile);
        for (var i = 0; i < 12; i++)
        {
            estimate = Update(estimate, Observed(Profile * 1.5, 400));
        }

        var cut = estimate.QpsPerReplica;
        // Then 30 minutes of 5 s syncs with the fleet sized to the estimate (headroom 0.2) and p99 well under the SLO.
        for (var i = 0; i < 360; i++)
        {
            estimate = Update(estimate, Observed(estimate.QpsPerReplica / 1.2, 10));
        }

        cut.Should().BeLessThan(Profile, "the overload showed capacity below 600 QPS");
        estimate.QpsPerReplica.Should().BeInRange(0.95 * Profile, Profile,
            "each replica served its load far under the SLO for half an hour and nothing said less than the profile");
    }

    [Fact]
    public void Update_TheSameBreachSyncAfterSync_CutsOnce()
    {
        var once = Update(CapacityEstimate.FromProfile(Profile), Observed(400, 40));
        var estimate = once;
        for (var i = 0; i < 20; i++)
        {
            estimate = Update(estimate, Observed(400, 40));
        }

        once.QpsPerReplica.Should().BeApproximately(400 * 25.0 / 40, 1e-9);
        estimate.QpsPerReplica.Should().Be(once.QpsPerReplica, "one breach at one load shows one capacity; seeing it again shows nothing new");
    }

    [Theory]
    [InlineData(400, true)]
    [InlineData(200, false)]
    public void Update_BreachOfABacklogOrAtALoadFarBelowTheEstimate_CutsNothing(double qpsPerReplica, bool settling)
    {
        var estimate = CapacityEstimate.FromProfile(Profile);

        var next = Update(estimate, Observed(qpsPerReplica, 80, settling));

        next.Should().BeSameAs(estimate);
    }

    [Fact]
    public void Update_CalmAfterABreachBelowTheProfile_DriftsUpToJustUnderTheLoadThatBrokeTheSlo()
    {
        // The SLO broke at 300 QPS per replica, well under the 400 profile: capacity is below 300.
        var estimate = Update(CapacityEstimate.FromProfile(Profile), Observed(300, 50));
        for (var i = 0; i < 100; i++)
        {
            estimate = Update(estimate, Observed(estimate.QpsPerReplica / 1.2, 10));
        }

        estimate.BrokenAtQps.Should().BeInRange(300, 300 * 1.25, "a breach fades, but slowly: 0.2% a calm sync");
        var ceiling = CapacityModel.BreachMargin * estimate.BrokenAtQps!.Value;
        estimate.QpsPerReplica.Should().BeInRange(0.9 * ceiling, ceiling,
            "the drift rises from the 150 the breach cut to, up to just under the load that broke the SLO, and no further");
    }

    [Fact]
    public void Update_FleetSizedByTheEstimateOnReplicasSlowerThanTheProfile_SettlesWithoutBreachingAgain()
    {
        // Replicas really sustain 300 QPS (p99 = SLO there), not the 500 of their profile; 10,000 QPS of demand, a fleet
        // sized to the estimate with 20% headroom that grows at once and shrinks only after a 24-sync window.
        const double profile = 500, capacity = 300, demand = 10_000;
        static double P99(double load) => Slo * Math.Pow(load / capacity, 3);
        var estimate = CapacityEstimate.FromProfile(profile);
        var wanted = new Queue<int>();
        var replicas = (int)Math.Ceiling(demand * 1.2 / estimate.QpsPerReplica);
        var breaches = new List<int>();
        for (var sync = 0; sync < 2000; sync++)
        {
            var load = demand / replicas;
            if (P99(load) > Slo)
            {
                breaches.Add(sync);
            }

            estimate = CapacityModel.Update(estimate, profile, profileP99Ms: null, Slo, Observed(load, P99(load)));
            wanted.Enqueue((int)Math.Ceiling(demand * 1.2 / estimate.QpsPerReplica));
            if (wanted.Count > 24)
            {
                wanted.Dequeue();
            }

            replicas = wanted.Max();
        }

        breaches.Should().OnlyContain(s => s < 200, "after the first cuts the drift stops below the load that broke the SLO");
        estimate.QpsPerReplica.Should().BeInRange(0.8 * capacity, capacity * 1.25);
        P99(demand / replicas).Should().BeLessThanOrEqualTo(Slo);
    }
}
