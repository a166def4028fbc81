using System.Text.Json.Nodes;
using RecOperator.Operator.Simulation;

namespace RecOperator.Operator.Tests.Simulation;

public sealed class LatencyCalibrationTests
{
    /// <summary>A load test's points: p99 flat near 6 ms to half the profile, a knee above it, and one rate it fell behind at.</summary>
    internal const string Valid = """
        {"source": "test", "variants": {"cpu-int8": {"measured": "int8 pod", "profile": {"qpsPerReplica": 800, "p99LatencyMs": 12},
          "points": [{"offeredQps": 200, "servedQps": 200, "p99Ms": 6.1, "failed": 0}, {"offeredQps": 400, "servedQps": 399, "p99Ms": 6.5, "failed": 0},
                     {"offeredQps": 600, "servedQps": 601, "p99Ms": 7.6, "failed": 0}, {"offeredQps": 800, "servedQps": 797, "p99Ms": 12, "failed": 0},
                     {"offeredQps": 880, "servedQps": 876, "p99Ms": 21, "failed": 0}, {"offeredQps": 1000, "servedQps": 850, "p99Ms": 640, "failed": 0}]}}}
        """;

    [Fact]
    public void Read_AValidFile_FitsEachVariantAndReadsItsShapeAtTheProfile()
    {
        var calibration = LatencyCalibration.Read("cal.json", Valid);

        var measured = calibration.Variants.Should().ContainSingle().Which.Value;
        calibration.Source.Should().Be("test");
        measured.Measured.Should().Be("int8 pod");
        measured.Points.Should().HaveCount(6);
        measured.Fit.PointsUsed.Should().Be(5, "the replica fell behind at 1000 QPS");
        measured.Fit.Curve.SaturationQps.Should().BeInRange(880, 1000);
        measured.Shape.ProfileUtilisation.Should().BeInRange(0.8, 0.91, "800 QPS held and 1000 did not");
        measured.Shape.BaseFraction.Should().BeInRange(0.4, 0.6, "about 6 ms of the 12 ms at the profile is there without any queue");
    }

    [Theory]
    [InlineData("[1]", "cal.json: must be a JSON object")]
    [InlineData("{", "cal.json: not valid JSON")]
    [InlineData("{}", "cal.json: variants must be an object")]
    [InlineData("""{"variants": {"a": 3}}""", "cal.json: variants.a must be an object")]
    [InlineData("""{"variants": {"a": {"points": []}}}""", "cal.json: variants.a.profile.qpsPerReplica must be a non-negative number, got nothing")]
    [InlineData("""{"variants": {"a": {"profile": {"qpsPerReplica": 0}, "points": []}}}""", "cal.json: variants.a.profile.qpsPerReplica must be positive")]
    [InlineData("""{"variants": {"a": {"profile": {"qpsPerReplica": 10}}}}""", "cal.json: variants.a.points must be an array")]
    [InlineData("""{"variants": {"a": {"profile": {"qpsPerReplica": 10}, "points": [{"offeredQps": 5, "servedQps": 5, "p99Ms": "fast"}]}}}""",
        "cal.json: variants.a.points[0].p99Ms must be a non-negative number, got \"fast\"")]
    [InlineData("""{"variants": {"a": {"profile": {"qpsPerReplica": 10}, "points": [{"offeredQps": 5, "servedQps": 5, "p99Ms": 4}]}}}""",
        "cal.json: variants.a.points: latency fit: needs points at 3 or more distinct offered rates*got 1 of 1 points")]
    public void Read_ABadFile_NamesTheFileAndField(string json, string expected)
    {
        var act = () => LatencyCalibration.Read("cal.json", json);

        act.Should().Throw<FormatException>().WithMessage($"{expected}*");
    }

    [Fact]
    public void CheckVariants_ANameTheModelLacks_NamesItAndTheModelsVariants()
    {
        var calibration = LatencyCalibration.Read("cal.json", Valid);

        var act = () => calibration.CheckVariants(["cpu-fp32", "gpu-fp16"]);

        act.Should().Throw<FormatException>().WithMessage("cal.json: variants.cpu-int8: the RecModel has no such variant (it has cpu-fp32, gpu-fp16)");
    }

    [Fact]
    public void VariantJson_ReadBack_GivesThePointsAndProfile()
    {
        List<LatencyPoint> points = [LatencyPoint.OnCurve(100, 5), LatencyPoint.OnCurve(200, 5.5), LatencyPoint.OnCurve(300, 7), new(400, 310, 900, 2)];
        var entry = LatencyCalibration.VariantJson("pod", 300, 7, points);
        var json = new JsonObject { ["variants"] = new JsonObject { ["v"] = entry } }.ToJsonString();

        var measured = LatencyCalibration.Read("cal.json", json).Variants["v"];

        measured.Points.Should().Equal(points);
        measured.ProfileQps.Should().Be(300);
        measured.Measured.Should().Be("pod");
    }
}
