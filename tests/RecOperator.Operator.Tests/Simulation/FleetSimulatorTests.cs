using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Simulation;

namespace RecOperator.Operator.Tests.Simulation;

public sealed class FleetSimulatorTests
{
    [Fact]
    public void Run_SameSeed_SameResult()
    {
        var trace = BuiltInTraces.Get("step")!;

        var a = SimulationRunner.Run(SampleFleet.Value, trace, seed: 7);
        var b = SimulationRunner.Run(SampleFleet.Value, trace, seed: 7);

        a.RecOperator.Should().Be(b.RecOperator);
        a.Hpa.Should().Be(b.Hpa);
    }

    [Theory]
    [InlineData("step")]
    [InlineData("ramp")]
    [InlineData("spot-loss")]
    public void Run_BuiltInTrace_BeatsBestHpaOnViolationsAtNoHigherCost(string name)
    {
        var report = SimulationRunner.Run(SampleFleet.Value, BuiltInTraces.Get(name)!, seed: 1);

        report.RecOperator.ViolationMinutes.Should().BeLessThanOrEqualTo(0.5 * report.Hpa.ViolationMinutes);
        report.RecOperator.Cost.Should().BeLessThanOrEqualTo(report.Hpa.Cost);
    }

    [Fact]
    public void Run_Diurnal_CostsAtLeast20PercentLessThanBestHpaAtNoMoreViolations()
    {
        var report = SimulationRunner.Run(SampleFleet.Value, BuiltInTraces.Get("diurnal")!, seed: 1);

        report.RecOperator.ViolationMinutes.Should().BeLessThanOrEqualTo(report.Hpa.ViolationMinutes);
        report.RecOperator.Cost.Should().BeLessThanOrEqualTo(0.8 * report.Hpa.Cost);
    }

    [Fact]
    public void PoolCapacity_PoolDownThenUp_ReadsZeroWhileDownAndItsLimitAfter()
    {
        var world = new SimWorld(SampleFleet.Value);
        var spot = SampleFleet.Value.Pools.First(p => p.Preemptible);

        world.Apply(new TraceEvent(10, TraceEventKind.PoolDown, spot.Name));
        var down = world.PoolCapacity();
        world.Apply(new TraceEvent(20, TraceEventKind.PoolUp, spot.Name));
        var up = world.PoolCapacity();

        down[spot.Name].Should().Be(0, "a NodePool without ready nodes reports no allocatable slots");
        up[spot.Name].Should().Be(spot.CapacityLimit ?? int.MaxValue);
        down.Where(p => p.Key != spot.Name).Should().Equal(up.Where(p => p.Key != spot.Name), "other pools are untouched");
    }

    [Fact]
    public void Run_NoReplicasCanServe_CountsEverySecondAsViolation()
    {
        var fleet = SampleFleet.Value;
        var trace = new Trace { Name = "t", Samples = [new(0, 1000), new(120, 1000)] };

        var result = FleetSimulator.Run(fleet, trace, new NothingController(), seed: 1);

        result.ViolationMinutes.Should().BeApproximately(121 / 60.0, 0.01);
        result.Cost.Should().Be(0);
    }

    [Fact]
    public void Calibrate_ProfilePoint_GivesProfiledP99()
    {
        var curve = LatencyCurve.Calibrate(450, 18);

        curve.P99Ms(LatencyCurve.ProfileUtilisation).Should().BeApproximately(18, 1e-9);
        curve.P99Ms(0.95).Should().BeGreaterThan(25);
        (curve.SaturationQps * LatencyCurve.ProfileUtilisation).Should().BeApproximately(450, 1e-9);
    }

    private sealed class NothingController : IFleetController
    {
        public string Name => "nothing";

        public TimeSpan SyncPeriod => TimeSpan.FromSeconds(5);

        public IReadOnlyDictionary<PlacementKey, int> Decide(SimObservation observation) => new Dictionary<PlacementKey, int>();
    }
}
