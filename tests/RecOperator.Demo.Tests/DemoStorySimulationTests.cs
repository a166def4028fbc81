using RecOperator.Crds;
using RecOperator.Demo.Load;
using RecOperator.Demo.Setup;
using RecOperator.Operator.Simulation;
using RecOperator.Tests.Shared;

using static RecOperator.Demo.Tests.DemoSampleInputs;

namespace RecOperator.Demo.Tests;

/// <summary>
/// The demo's story on the demo's fleet, in the autoscaler's simulator: the same policy the demo's operator runs,
/// without a cluster, so how it moves replicas is checked in milliseconds.
/// </summary>
public sealed class DemoStorySimulationTests
{
    /// <summary>
    /// The demo's 4x step and the drop after it, from the step's start: the simulator warm-starts the fleet sized for
    /// its first level, so the step's own scale-up (where a panic may overshoot while the capacity estimate is cut)
    /// is not part of it, and what is checked is the way down.
    /// </summary>
    private static Trace StepAndDrop(DemoOptions options, double baseRps)
    {
        var profile = LoadProfile.Demo(options.Duration, baseRps);
        var from = (int)profile.StartOf("step 4x").TotalSeconds;
        var seconds = (int)options.Duration.TotalSeconds - from;
        return new Trace
        {
            Name = "demo step and drop",
            Samples = [.. Enumerable.Range(0, seconds + 1).Select(t => new TraceSample(t, profile.At(TimeSpan.FromSeconds(from + t)).Rps))],
        };
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Demo_DropAfterTheStep_GivesCapacityBackWithoutTakingAReplicaBack(int seed)
    {
        var options = new DemoOptions();
        var model = DemoManifests.RecModel(Samples, Fp32, Int8, options);
        var pools = DemoManifests.NodePools(Samples, gpuPresent: false).Select(CrdsSerializer.ReadNodePool).ToList();
        var fleet = SimFleet.FromManifests(CrdsSerializer.ReadRecModel(model), pools);

        var result = SimulationRunner.Run(fleet, StepAndDrop(options, DemoManifests.BaseRps(model)), seed).RecOperator;

        // Before the settled path, the held requirement passed through a shape without spot on its way down (two
        // on-demand replicas carry the reserve alone), so the spot replica was removed and started again a sync later.
        result.Reversals.Should().Be(0);
        result.ScaleEvents.Should().BeInRange(1, 4, "the drop gives capacity back in a step or two after the stabilization window");
        result.ViolationMinutes.Should().Be(0);
    }
}
