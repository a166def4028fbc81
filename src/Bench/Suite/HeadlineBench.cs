using RecOperator.Bench.Load;
using RecOperator.InferencePod.Configuration;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.ModelOptimizer.Quantization;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.ModelOptimizer.Split;
using RecOperator.Onnx;

namespace RecOperator.Bench.Suite;

/// <summary>
/// The source paper's claim on our system. Baseline: the fp32 user-candidate model, one request per engine call, the
/// user features tiled once per candidate. Optimized: the optimizer's int8 model, split so the user side runs once per
/// request, with dynamic batching. Both get the same seeded open-loop Poisson load, rate after rate.
/// </summary>
public static class HeadlineBench
{
    private static readonly string[] UserInputs = ["user_dense", "user_history"];

    public static async Task<(HeadlineFigures? Headline, IReadOnlyList<BenchFigure> Figures)> RunAsync(BenchOptions options, string folder, IInferenceEngine engine,
        TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var reference = ReferenceModelCatalog.Create("user-candidate");
        var fp32 = await ReferenceModelBuilder.BuildAsync(reference, folder, engine, cancellationToken).ConfigureAwait(false);
        var int8 = await OptimizationPipeline.RunAsync(new DynamicInt8Transform(), new PipelineOptions
        {
            InputPath = fp32.Path, OutputFolder = Path.Combine(folder, "int8"), Fidelity = new() { Requests = 16, Candidates = options.Candidates },
        }, engine, cancellationToken).ConfigureAwait(false);
        var split = await SplitPipeline.RunAsync(UserInputs, new PipelineOptions { InputPath = int8.ModelPath, OutputFolder = Path.Combine(folder, "split") },
            engine, cancellationToken).ConfigureAwait(false);
        var fidelity = int8.Manifest.Fidelity ?? throw new InvalidOperationException("the int8 pipeline reported no fidelity");
        var inputs = reference.CreateInputs(options.Candidates, new DeterministicRandom(11));

        await log.WriteLineAsync($"headline: {options.Candidates} candidates per request, open-loop Poisson, p99 <= {options.SloMs} ms, {options.StepDuration.TotalSeconds:F0} s per rate").ConfigureAwait(false);
        var baseline = await LadderAsync("baseline (fp32, tiled user, no batching)", BenchPods.Options("ranker", fp32.Path, options.Threads) with
        {
            MaxBatchSize = 1, MaxQueueDelayMicros = 0, UserSideReuse = false,
        }, inputs, options, log).ConfigureAwait(false);
        var optimized = await LadderAsync("optimized (int8, split user side, batching)", BenchPods.Options("ranker", split.ModelPath, options.Threads) with
        {
            MaxBatchSize = 8 * options.Candidates, MaxQueueDelayMicros = 2000, UserSideReuse = true,
        }, inputs, options, log).ConfigureAwait(false);

        var ratios = HeadlineMath.Ratios(baseline, optimized, options.SloMs);
        var figures = new List<BenchFigure>
        {
            new("headline", "optimized artifact: AUC drop vs fp32", fidelity.AucDrop, "", $"int8-dynamic, {fidelity.Requests} requests x {fidelity.CandidatesPerRequest} candidates (paper: no loss)"),
            new("headline", "optimized artifact: top-10 agreement vs fp32", fidelity.Top10Agreement, "", "the split is exact on top of int8 (its own check)"),
        };
        if (ratios is not { } r)
        {
            await log.WriteLineAsync("headline: a pod held no rate of the ladder within the SLO; no ratio").ConfigureAwait(false);
            return (null, figures);
        }
        var baselineBest = HeadlineMath.Held(baseline, options.SloMs).Max(b => b.Result.RequestsPerSecond);
        var optimizedBest = HeadlineMath.Held(optimized, options.SloMs).Max(o => o.Result.RequestsPerSecond);
        figures.Insert(0, new("headline", "throughput at p99 <= SLO, optimized / baseline", r.ThroughputRatio, "x",
            $"{optimizedBest:F0} vs {baselineBest:F0} req/s (paper: 2.1x)"));
        figures.Insert(1, new("headline", $"p99 at {r.FixedRate:F0} req/s, optimized / baseline", r.P99Ratio, "x",
            $"{r.OptimizedP99:F2} vs {r.BaselineP99:F2} ms (paper: <= 0.3x)"));
        return (new HeadlineFigures
        {
            ThroughputRatio = r.ThroughputRatio, P99Ratio = r.P99Ratio, AucDrop = fidelity.AucDrop, Top10Agreement = fidelity.Top10Agreement,
            BaselineMaxRps = baselineBest, OptimizedMaxRps = optimizedBest, FixedLoadRps = r.FixedRate, BaselineP99Ms = r.BaselineP99, OptimizedP99Ms = r.OptimizedP99,
        }, figures);
    }

    private static async Task<IReadOnlyList<(double Rate, LoadResult Result)>> LadderAsync(string name, PodOptions pod, IReadOnlyList<NamedTensor> inputs,
        BenchOptions options, TextWriter log)
    {
        await using var server = await BenchPods.StartAsync(pod).ConfigureAwait(false);
        using var clients = new PodClients(server.HttpPort, server.GrpcPort);
        var send = clients.Grpc(pod.ModelName, inputs);
        await LoadGenerator.WarmUpAsync(send).ConfigureAwait(false);
        var ladder = new List<(double, LoadResult)>();
        // One seed for both pods: the same arrival times at each rate.
        var arrivals = new Random(42);
        foreach (var rate in options.Rates)
        {
            var result = await LoadGenerator.OpenLoopAsync($"{name} @ {rate:F0}/s", rate, options.StepDuration, inputs.Max(i => (int)i.Tensor.Shape[0]), send, arrivals)
                .ConfigureAwait(false);
            ladder.Add((rate, result));
            await log.WriteLineAsync("  " + result.Line()).ConfigureAwait(false);
            if (result.Failed > 0 || result.P99 > options.SloMs)
            {
                break;
            }
        }
        return ladder;
    }
}
