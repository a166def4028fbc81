using System.Text.Json.Nodes;
using RecOperator.Operator.Simulation;
using RecOperator.Tests.Shared;

namespace RecOperator.Operator.Tests.Simulation;

/// <summary>The simulator with measured latency curves: a calibration changes the true curves, never the profiles.</summary>
public sealed class CalibratedFleetTests
{
    [Fact]
    public void FromManifests_WithAVariantsPoints_UsesTheMeasuredShapeThroughItsProfileAndSaysSo()
    {
        var calibration = LatencyCalibration.Read("cal.json", LatencyCalibrationTests.Valid);

        var fleet = SampleFleet.WithCalibration(calibration);

        var int8 = fleet.Variants.Single(v => v.Name == "cpu-int8");
        var guessed = SampleFleet.Value.Variants.Single(v => v.Name == "cpu-int8");
        int8.CurveSource.Should().StartWith("measured: 5 of 6 load-test points from cal.json (int8 pod)");
        int8.ProfileQps.Should().Be(guessed.ProfileQps);
        int8.ProfileP99Ms.Should().BeApproximately(guessed.ProfileP99Ms, 1e-9, "the curve still passes through the manifest's profile (450 QPS at 18 ms)");
        int8.Curve.Should().Be(LatencyCurve.Calibrate(450, 18, calibration.Variants["cpu-int8"].Shape));
        int8.Curve.BaseP99Ms.Should().BeGreaterThan(guessed.Curve.BaseP99Ms, "measured, about half the profile's p99 is there without any queue, not 40%");
        fleet.Variants.Where(v => v.Name != "cpu-int8").Should().OnlyContain(v => v.CurveSource == SimVariant.GuessedSource);
    }

    [Fact]
    public void Run_AMeasuredKneeRightAboveTheProfile_BreachesWhereTheGuessedCurveHeld()
    {
        // Measured: flat at 10 ms, then saturated 3% above the profile. Carried to the sample's int8 profile (450 QPS at
        // 18 ms) it saturates at 464 QPS instead of the guessed 529, so load the guess absorbed now queues up.
        var knee = new LatencyCurve(1030, 10, 0.1);
        var points = new[] { 0.2, 0.5, 0.8, 0.9, 0.95 }.Select(u => LatencyPoint.OnCurve(u * knee.SaturationQps, knee.P99Ms(u)));
        var json = new JsonObject { ["variants"] = new JsonObject { ["cpu-int8"] = LatencyCalibration.VariantJson("knee", 1000, knee.P99Ms(1000 / 1030.0), points) } }.ToJsonString();
        var fleet = SampleFleet.WithCalibration(LatencyCalibration.Read("knee.json", json));
        var trace = BuiltInTraces.Get("step")!;

        var guessed = SimulationRunner.Run(SampleFleet.Value, trace, seed: 1);
        var measured = SimulationRunner.Run(fleet, trace, seed: 1);

        fleet.Variants.Single(v => v.Name == "cpu-int8").Curve.SaturationQps.Should().BeApproximately(450 / 0.97, 1);
        Hpa(measured, "cpu-int8@cpu-spot").ViolationMinutes.Should().BeGreaterThan(Hpa(guessed, "cpu-int8@cpu-spot").ViolationMinutes);
        Hpa(measured, "gpu-fp16@gpu").Should().Be(Hpa(guessed, "gpu-fp16@gpu"), "a variant without points keeps the guessed curve");
    }

    [Theory]
    [InlineData("diurnal")]
    [InlineData("step")]
    [InlineData("ramp")]
    [InlineData("spot-loss")]
    public void Run_CommittedCalibration_MeetsTheGoalsOnEveryTrace(string name)
    {
        // The curves `recop sim` uses by default (bench/results/latency-calibration.json, a real load test).
        var file = RepoPaths.Combine("bench", "results", "latency-calibration.json");
        var fleet = SampleFleet.WithCalibration(LatencyCalibration.Read(file, File.ReadAllText(file)));

        var report = SimulationRunner.Run(fleet, BuiltInTraces.Get(name)!, seed: 1);

        fleet.Variants.Where(v => v.Hardware == RecOperator.Crds.Models.Hardware.Cpu).Should().OnlyContain(v => v.CurveSource.StartsWith("measured", StringComparison.Ordinal));
        report.RecOperator.ViolationMinutes.Should().BeLessThanOrEqualTo(0.5 * report.Hpa.ViolationMinutes);
        report.RecOperator.Cost.Should().BeLessThanOrEqualTo(name == "diurnal" ? 0.8 * report.Hpa.Cost : report.Hpa.Cost);
    }

    private static SimulationResult Hpa(SimulationReport report, string placement) => report.AllHpa.Single(h => h.Policy == $"hpa:{placement}");
}
