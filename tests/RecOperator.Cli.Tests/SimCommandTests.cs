using System.Text.Json.Nodes;
using RecOperator.Tests.Shared;

namespace RecOperator.Cli.Tests;

/// <summary>
/// <c>recop sim</c> as a process: <c>--json</c> prints the one object the issue specifies, <c>--trace-file</c> feeds
/// a CSV trace (with pool events) through the same simulator as the built-in traces, <c>--calibration</c> gives
/// variants measured latency curves (and says which each used), and a bad file is a clear error.
/// </summary>
public sealed class SimCommandTests : IDisposable
{
    private static readonly string[] ResultKeys = ["cost", "violationMinutes", "recoverySeconds", "scaleEvents", "reversals"];
    private readonly string _dir = Directory.CreateTempSubdirectory("recop-sim-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Sim_StepTraceJson_PrintsOneObjectThatMeetsTheGoal()
    {
        var result = await RecopProcess.RunAsync(RepoPaths.Root, "sim", "--trace", "step", "--json");

        result.ExitCode.Should().Be(0, result.Stderr);
        var root = JsonNode.Parse(result.Stdout)!.AsObject();
        root["trace"]!.GetValue<string>().Should().Be("step");
        var ours = Policy(root, "recoperator");
        var hpa = Policy(root, "hpa");
        hpa["violationMinutes"].Should().BeGreaterThan(0, "the 5x step outruns the HPA's 15 s ratio rule");
        ours["violationMinutes"].Should().BeLessThanOrEqualTo(0.5 * hpa["violationMinutes"], "the goal: at most half the baseline's violation minutes");
        ours["cost"].Should().BeLessThanOrEqualTo(hpa["cost"], "the goal: at no more than the baseline's cost");
        ours["scaleEvents"].Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Sim_TraceFileOfTheStepTrace_GivesTheBuiltInTracesResult()
    {
        // The built-in step trace, written out: 3.5k QPS, a 5x step at 601 s, held to 1800 s.
        var file = await WriteTraceAsync("step.csv", "time_s,qps\n0,3500\n600,3500\n601,17500\n1800,17500\n");

        var fromFile = await RecopProcess.RunAsync(RepoPaths.Root, "sim", "--trace-file", file, "--json");
        var builtIn = await RecopProcess.RunAsync(RepoPaths.Root, "sim", "--trace", "step", "--json");

        fromFile.ExitCode.Should().Be(0, fromFile.Stderr);
        fromFile.Stdout.Should().Be(builtIn.Stdout, "the same samples and seed simulate the same fleet");
    }

    [Fact]
    public async Task Sim_TraceFileWithPoolDownAndUp_ReplacesTheLostPool()
    {
        var steady = await WriteTraceAsync("steady.csv", "time_s,qps,event\n0,12000\n1800,12000\n");
        var lossy = await WriteTraceAsync("lossy.csv", "time_s,qps,event\n0,12000\n600,,pool-down:cpu-spot\n1200,,pool-up:cpu-spot\n1800,12000\n");

        var withoutLoss = Policy(JsonNode.Parse((await RunJsonAsync(steady)).Stdout)!.AsObject(), "recoperator");
        var result = await RunJsonAsync(lossy);

        result.ExitCode.Should().Be(0, result.Stderr);
        var root = JsonNode.Parse(result.Stdout)!.AsObject();
        root["trace"]!.GetValue<string>().Should().Be("lossy", "a file's trace is named after the file");
        var withLoss = Policy(root, "recoperator");
        withLoss["scaleEvents"].Should().BeGreaterThan(withoutLoss["scaleEvents"], "losing the spot pool makes the policy place its replicas elsewhere, then move back");
        withLoss["violationMinutes"].Should().BeLessThanOrEqualTo(0.5, "the reserve outside the spot pool carries demand while replacements start");
    }

    [Theory]
    [InlineData("time_s,qps\n0,100\n60,100,pool-sideways:cpu-spot\n", "trace CSV line 3: event must be pool-down:NAME or pool-up:NAME")]
    [InlineData("time,qps\n0,100\n", "the header must start with time_s,qps")]
    [InlineData("time_s,qps\n0,100\n30,lots\n", "trace CSV line 3: qps is not a number")]
    public async Task Sim_BadTraceFile_ExitsTwoNamingTheProblem(string csv, string expected)
    {
        var file = await WriteTraceAsync("bad.csv", csv);

        var result = await RunJsonAsync(file);

        result.ExitCode.Should().Be(2, "an unusable file given on the command line is bad usage, like a bad --calibration file");
        result.Stderr.Should().Contain(expected);
        result.Stdout.Should().BeEmpty();
    }

    [Theory]
    [InlineData("model", "p99LatencyMs: 25", "p99LatencyMs: 0", "spec.slo.p99LatencyMs")]
    [InlineData("model", "replicas: {min: 1, max: 40}", "replicas: {min: 5, max: 2}", "spec.variants[0].replicas")]
    [InlineData("pools", "costPerReplicaHour: 0.04", "costPerReplicaHour: -0.04", "spec.costPerReplicaHour")]
    public async Task Sim_ManifestTheClusterWouldRefuse_ExitsTwoNamingTheField(string which, string from, string to, string field)
    {
        // It used to run and print a fleet's figures: a negative price made the solver prefer that pool.
        var source = which == "model" ? "manifests/samples/recmodel-ranking.yaml" : "manifests/samples/nodepools.yaml";
        var text = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, source));
        text.Should().Contain(from, "the sample is the starting point");
        var file = Path.Combine(_dir, which + ".yaml");
        await File.WriteAllTextAsync(file, text.Replace(from, to, StringComparison.Ordinal));

        var result = await RecopProcess.RunAsync(RepoPaths.Root, "sim", "--trace", "step", "--json", "--" + which, file);

        result.ExitCode.Should().Be(2, result.Stderr);
        result.Stderr.Should().Contain($"--{which} {file}").And.Contain(field);
        result.Stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task Sim_NoTrace_ExitsTwoAskingForOne()
    {
        var result = await RecopProcess.RunAsync(RepoPaths.Root, "sim", "--json");

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain("give --trace NAME or --trace-file FILE");
    }

    [Fact]
    public async Task Sim_CalibrationFile_SaysWhichCurveEachVariantUsedAndChangesTheResult()
    {
        // A measured int8 replica whose knee sits 3% above its profile: the sample's int8 HPA breaches for longer on the step.
        var file = await WriteTraceAsync("cal.json", """
            {"variants": {"cpu-int8": {"measured": "knee", "profile": {"qpsPerReplica": 1000},
              "points": [{"offeredQps": 206, "servedQps": 206, "p99Ms": 10.03}, {"offeredQps": 515, "servedQps": 515, "p99Ms": 10.1},
                         {"offeredQps": 824, "servedQps": 824, "p99Ms": 10.4}, {"offeredQps": 927, "servedQps": 927, "p99Ms": 10.9},
                         {"offeredQps": 978.5, "servedQps": 978.5, "p99Ms": 11.9}]}}}
            """);

        var measured = await RecopProcess.RunAsync(RepoPaths.Root, "sim", "--trace", "step", "--json", "--calibration", file);
        var guessed = await RecopProcess.RunAsync(RepoPaths.Root, "sim", "--trace", "step", "--json", "--calibration", "none");
        var table = await RecopProcess.RunAsync(RepoPaths.Root, "sim", "--trace", "step", "--calibration", file);

        measured.ExitCode.Should().Be(0, measured.Stderr);
        var curves = JsonNode.Parse(measured.Stdout)!["curves"]!.AsObject();
        curves["cpu-int8"]!["source"]!.GetValue<string>().Should().Be("measured");
        curves["cpu-int8"]!["detail"]!.GetValue<string>().Should().Contain(file).And.Contain("knee");
        curves["gpu-fp16"]!["source"]!.GetValue<string>().Should().Be("guessed");
        var noCalibration = JsonNode.Parse(guessed.Stdout)!["curves"]!.AsObject();
        noCalibration.Select(c => c.Value!["source"]!.GetValue<string>()).Should().AllBe("guessed");
        noCalibration["cpu-int8"]!["profileUtilisation"]!.GetValue<double>().Should().Be(0.85);
        curves["cpu-int8"]!["profileUtilisation"]!.GetValue<double>().Should().BeGreaterThan(0.9);
        table.Stdout.Should().Contain("- cpu-int8: saturation").And.Contain("measured: 5 of 5 load-test points").And.Contain("- gpu-fp16: saturation").And.Contain("guessed:");
        Policy(JsonNode.Parse(measured.Stdout)!.AsObject(), "recoperator").Should().NotEqual(Policy(JsonNode.Parse(guessed.Stdout)!.AsObject(), "recoperator"));
    }

    [Fact]
    public async Task Sim_CalibrationFromARealPodsLoadTest_FitsItAndUsesTheMeasuredCurve()
    {
        // The whole path: a real inference pod under open-loop load writes its points, and the simulator fits them. The
        // generous target keeps a shared build machine's stalls from failing the load test itself (as OptimizeCliTests does).
        var build = await RecopProcess.RunAsync(RepoPaths.Root, "optimize", "build", "--model", "user-candidate", "--out", _dir);
        build.ExitCode.Should().Be(0, build.Stderr);
        var points = Path.Combine(_dir, "points.json");
        var profile = await RecopProcess.RunAsync(RepoPaths.Root, "optimize", "profile", "--in", Path.Combine(_dir, "user-candidate.onnx"), "--out", Path.Combine(_dir, "profile"),
            "--p99-ms", "1000", "--candidates", "20", "--samples", "5", "--load-test", "--seconds-per-rate", "1", "--latency-points", points);
        profile.ExitCode.Should().Be(0, profile.Stderr + profile.Stdout);
        var entry = JsonNode.Parse(await File.ReadAllTextAsync(points))!.AsObject();
        entry["points"]!.AsArray().Count.Should().BeGreaterThanOrEqualTo(8, "the load test's rates plus 0.2x to 1.25x the profile");
        var file = await WriteTraceAsync("measured.json", new JsonObject { ["variants"] = new JsonObject { ["cpu-int8"] = entry } }.ToJsonString());

        var result = await RecopProcess.RunAsync(RepoPaths.Root, "sim", "--trace", "step", "--json", "--calibration", file);

        result.ExitCode.Should().Be(0, result.Stderr);
        JsonNode.Parse(result.Stdout)!["curves"]!["cpu-int8"]!["source"]!.GetValue<string>().Should().Be("measured");
    }

    [Fact]
    public async Task Profile_LatencyPointsWithoutLoadTest_ExitsTwo()
    {
        var result = await RecopProcess.RunAsync(RepoPaths.Root, "optimize", "profile", "--in", "x.onnx", "--out", _dir, "--latency-points", Path.Combine(_dir, "p.json"));

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain("--latency-points needs --load-test");
    }

    [Theory]
    [InlineData(null, "missing.json: no such file")]
    [InlineData("""{"variants": {"cpu-int8": {"profile": {"qpsPerReplica": 10}, "points": [{"offeredQps": 5, "servedQps": 5, "p99Ms": "x"}]}}}""",
        "variants.cpu-int8.points[0].p99Ms must be a non-negative number")]
    [InlineData("""{"variants": {"cpu-int9": {"profile": {"qpsPerReplica": 10}, "points": [{"offeredQps": 1, "servedQps": 1, "p99Ms": 4}, {"offeredQps": 2, "servedQps": 2, "p99Ms": 4}, {"offeredQps": 3, "servedQps": 3, "p99Ms": 5}]}}}""",
        "variants.cpu-int9: the RecModel has no such variant (it has cpu-int8, cpu-fp32, gpu-fp16)")]
    [InlineData("""{"variants": {"cpu-int8": {"profile": {"qpsPerReplica": 10}, "points": [{"offeredQps": 5, "servedQps": 5, "p99Ms": 4}]}}}""",
        "variants.cpu-int8.points: latency fit: needs points at 3 or more distinct offered rates")]
    public async Task Sim_BadCalibrationFile_ExitsTwoNamingTheFileAndField(string? json, string expected)
    {
        var file = json is null ? Path.Combine(_dir, "missing.json") : await WriteTraceAsync("cal.json", json);

        var result = await RecopProcess.RunAsync(RepoPaths.Root, "sim", "--trace", "step", "--json", "--calibration", file);

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain($"sim: --calibration {file}").And.Contain(expected);
        result.Stdout.Should().BeEmpty();
    }

    private static Dictionary<string, double> Policy(JsonObject root, string name)
    {
        var policy = root["policies"]![name]!.AsObject();
        policy.Select(p => p.Key).Should().BeEquivalentTo(ResultKeys, $"policies.{name} has exactly the issue's keys");
        return policy.ToDictionary(p => p.Key, p => p.Value!.GetValue<double>());
    }

    private Task<RecopProcess.Result> RunJsonAsync(string file) => RecopProcess.RunAsync(RepoPaths.Root, "sim", "--trace-file", file, "--json");

    private async Task<string> WriteTraceAsync(string name, string csv)
    {
        var path = Path.Combine(_dir, name);
        await File.WriteAllTextAsync(path, csv.Replace("\n", Environment.NewLine, StringComparison.Ordinal));
        return path;
    }
}
