using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RecOperator.Bench.Profiling;
using RecOperator.ModelOptimizer.Graph;
using RecOperator.ModelOptimizer.Profiling;
using RecOperator.Onnx;
using RecOperator.Operator.Simulation;

namespace RecOperator.Cli.Commands.Optimize;

/// <summary><c>recop optimize profile --in MODEL --out DIR --p99-ms T</c>: QPS per replica at the p99 target.</summary>
internal static class ProfileCommand
{
    private static readonly JsonSerializerOptions PointsJson = new() { WriteIndented = true };

    public static Command Create()
    {
        var input = new Option<FileInfo>("--in") { Description = "The ONNX model to profile", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder whose manifest.json receives the profile", Required = true };
        var p99 = new Option<double>("--p99-ms") { Description = "p99 latency target in ms", DefaultValueFactory = _ => 20 };
        var candidates = new Option<int>("--candidates") { Description = "Candidates per request", DefaultValueFactory = _ => 100 };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads of the replica", DefaultValueFactory = _ => 1 };
        var maxBatch = new Option<int>("--max-batch") { Description = "Most requests merged into one run", DefaultValueFactory = _ => 8 };
        var maxDelay = new Option<double>("--max-delay-ms") { Description = "Longest a request waits for its batch to fill", DefaultValueFactory = _ => 2 };
        var samples = new Option<int>("--samples") { Description = "Timed single-request runs", DefaultValueFactory = _ => 100 };
        var nodePool = new Option<string>("--node-pool") { Description = "Node pool named in the printed variants entry", DefaultValueFactory = _ => "default" };
        var loadTest = new Option<bool>("--load-test")
        {
            Description = "Measure instead of estimate: a real inference pod (same threads and batching) takes open-loop Poisson load over HTTP from "
                + "the estimate, halved until a rate holds, then bisected; the profile is the highest rate served with no failure and p99 within the target",
        };
        var secondsPerRate = new Option<double>("--seconds-per-rate") { Description = "With --load-test: seconds of load at each rate", DefaultValueFactory = _ => 4 };
        var latencyPoints = new Option<FileInfo?>("--latency-points")
        {
            Description = "With --load-test: also run 0.2x to 1.25x the profile and write every rate's offered QPS, served QPS and p99 to this JSON file "
                + "(one variant's entry of `recop sim --calibration`)",
        };
        var command = new Command("profile",
            "QPS per replica at a p99 target: a seeded queue model of one replica (Poisson arrivals, dynamic batching) over run times measured "
            + "one at a time in ONNX Runtime; with --load-test, measured instead on a real inference pod under open-loop load around that estimate")
        {
            input, output, p99, candidates, threads, maxBatch, maxDelay, samples, nodePool, loadTest, secondsPerRate, latencyPoints,
        };
        command.SetAction((parse, ct) => OptimizeCommandRunner.RunAsync(parse, "profile", async () =>
        {
            var options = new ProfileOptions
            {
                P99TargetMs = parse.GetValue(p99), Candidates = parse.GetValue(candidates), Threads = parse.GetValue(threads),
                MaxBatchRequests = parse.GetValue(maxBatch), MaxQueueDelayMs = parse.GetValue(maxDelay), Samples = parse.GetValue(samples),
            };
            if (parse.GetValue(secondsPerRate) is < 1 or > 60)
            {
                throw new ModelRejectedException(string.Create(CultureInfo.InvariantCulture, $"--seconds-per-rate must be 1 to 60 (got {parse.GetValue(secondsPerRate)})"));
            }
            if (parse.GetValue(latencyPoints) is not null && !parse.GetValue(loadTest))
            {
                throw new ModelRejectedException("--latency-points needs --load-test: the points are the load test's rates");
            }
            var model = parse.GetValue(input)!.FullName;
            var points = parse.GetValue(latencyPoints) is null ? null : new List<LatencyPoint>();
            var measure = parse.GetValue(loadTest)
                ? LoadTestedCapacity.For(model, options, TimeSpan.FromSeconds(parse.GetValue(secondsPerRate)), parse.InvocationConfiguration.Output, curvePoints: points)
                : null;
            var result = await ProfilePipeline.RunAsync(model, parse.GetValue(output)!.FullName, options, parse.GetValue(nodePool)!,
                OrtEngine.Create(), ct, measure).ConfigureAwait(false);
            var p = result.Manifest.Profile!;
            await parse.InvocationConfiguration.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"capacity: {p.QpsPerReplica} QPS per replica at p99 {p.P99LatencyMs} ms (target {p.P99TargetMs} ms, {p.CandidatesPerRequest} candidates, {p.Threads} threads, batches up to {p.MaxBatchRequests} requests, {p.MaxQueueDelayMs} ms max delay)")).ConfigureAwait(false);
            if (points is not null)
            {
                var measured = string.Create(CultureInfo.InvariantCulture,
                    $"{Path.GetFileName(model)}, one inference pod over HTTP on this host: {p.CandidatesPerRequest} candidates, {p.Threads} threads, batches up to {p.MaxBatchRequests} requests / {p.MaxQueueDelayMs} ms, {parse.GetValue(secondsPerRate)} s per rate, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
                await File.WriteAllTextAsync(parse.GetValue(latencyPoints)!.FullName,
                    LatencyCalibration.VariantJson(measured, p.QpsPerReplica, p.P99LatencyMs, points).ToJsonString(PointsJson) + Environment.NewLine, ct).ConfigureAwait(false);
            }
            return await OptimizeCommandRunner.PrintAsync(parse, result).ConfigureAwait(false);
        }));
        return command;
    }
}
