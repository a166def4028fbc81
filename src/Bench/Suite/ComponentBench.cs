using RecOperator.Bench.Load;
using RecOperator.InferencePod.Configuration;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.ModelOptimizer.Pruning;
using RecOperator.ModelOptimizer.Quantization;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;

namespace RecOperator.Bench.Suite;

/// <summary>
/// The parts the headline combines, each as one ratio from two runs side by side: pod vs raw engine, batching on vs
/// off, user-side reuse on vs off, int8 vs fp32, emb-int8 size, pruned vs unpruned.
/// </summary>
public static class ComponentBench
{
    public static async Task<IReadOnlyList<BenchFigure>> RunAsync(BenchOptions options, string folder, IInferenceEngine engine, TextWriter log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var figures = new List<BenchFigure>();
        var dlrm = ReferenceModelCatalog.Create("dlrm-small");
        var fp32 = await ReferenceModelBuilder.BuildAsync(dlrm, folder, engine, cancellationToken).ConfigureAwait(false);
        var duration = options.RunDuration;

        // Pod vs raw engine: 64-row requests at saturation, the engine on the batch the pod formed.
        var rows64 = dlrm.CreateInputs(64, new DeterministicRandom(1));
        await using (var pod = await BenchPods.StartAsync(Pod(fp32.Path, options) with { MaxBatchSize = 256 }).ConfigureAwait(false))
        using (var clients = new PodClients(pod.HttpPort, pod.GrpcPort))
        using (var http = new HttpClient())
        {
            var send = clients.Grpc("m", rows64);
            await LoadGenerator.WarmUpAsync(send).ConfigureAwait(false);
            var before = await PodMetricsReader.BatchesAsync(http, pod.HttpPort).ConfigureAwait(false);
            var served = await LoadGenerator.ClosedLoopAsync("pod gRPC, 8 clients x 64 rows", 8, duration, 64, send).ConfigureAwait(false);
            var batch = PodMetricsReader.AverageBatch(before, await PodMetricsReader.BatchesAsync(http, pod.HttpPort).ConfigureAwait(false));
            var raw = EngineBaseline.Run($"raw engine, batch {batch}", fp32.Path, dlrm.CreateInputs(batch, new DeterministicRandom(1)), options.Threads, duration);
            await Log(log, served, raw).ConfigureAwait(false);
            figures.Add(new("components", "pod / raw engine at saturation (rows/CPU-s)", served.RowsPerCpuSecond / raw.RowsPerCpuSecond, "x",
                $"dlrm-small, 64 rows/request, average batch {batch}; rows/s {served.RowsPerSecond / raw.RowsPerSecond:F2}x (the load generator shares the cores)"));
        }

        // Batching on vs off: 20-candidate requests at saturation.
        var rows20 = dlrm.CreateInputs(20, new DeterministicRandom(2));
        var saturation = new Dictionary<bool, LoadResult>();
        foreach (var batching in new[] { false, true })
        {
            await using var pod = await BenchPods.StartAsync(Pod(fp32.Path, options) with { MaxBatchSize = batching ? 512 : 1, MaxQueueDelayMicros = batching ? 2000 : 0 })
                .ConfigureAwait(false);
            using var clients = new PodClients(pod.HttpPort, pod.GrpcPort);
            var send = clients.Grpc("m", rows20);
            await LoadGenerator.WarmUpAsync(send).ConfigureAwait(false);
            saturation[batching] = await LoadGenerator.ClosedLoopAsync($"batching {(batching ? "on" : "off")}, 32 clients x 20 rows", 32, duration, 20, send).ConfigureAwait(false);
        }
        await Log(log, saturation[false], saturation[true]).ConfigureAwait(false);
        figures.Add(new("components", "batching on / off at saturation (req/s)", saturation[true].RequestsPerSecond / saturation[false].RequestsPerSecond, "x",
            "dlrm-small, 20-candidate requests, 32 closed-loop clients"));

        // User-side reuse on vs off: one user, 500 candidates.
        var userCandidate = ReferenceModelCatalog.Create("user-candidate");
        var ranker = await ReferenceModelBuilder.BuildAsync(userCandidate, folder, engine, cancellationToken).ConfigureAwait(false);
        var rows500 = userCandidate.CreateInputs(500, new DeterministicRandom(3));
        var reuse = new Dictionary<bool, LoadResult>();
        foreach (var on in new[] { false, true })
        {
            await using var pod = await BenchPods.StartAsync(Pod(ranker.Path, options) with { UserSideReuse = on, MaxBatchSize = 2048 }).ConfigureAwait(false);
            using var clients = new PodClients(pod.HttpPort, pod.GrpcPort);
            var send = clients.Grpc("m", rows500);
            await LoadGenerator.WarmUpAsync(send).ConfigureAwait(false);
            reuse[on] = await LoadGenerator.ClosedLoopAsync($"reuse {(on ? "on" : "off")}, 4 clients x 500 candidates", 4, duration, 500, send).ConfigureAwait(false);
        }
        await Log(log, reuse[false], reuse[true]).ConfigureAwait(false);
        figures.Add(new("components", "user-side reuse on / off (req/s)", reuse[true].RequestsPerSecond / reuse[false].RequestsPerSecond, "x",
            "user-candidate, 1 user x 500 candidates, 4 closed-loop clients"));

        // int8 vs fp32, pruned vs unpruned: the raw engine at batch 256; emb-int8: the file size.
        var int8 = await Transform(new DynamicInt8Transform(), fp32.Path, folder, engine, cancellationToken).ConfigureAwait(false);
        var pruned = await Transform(new StructuredPruneTransform(0.5), fp32.Path, folder, engine, cancellationToken).ConfigureAwait(false);
        var embInt8 = await Transform(new EmbeddingInt8Transform(), fp32.Path, folder, engine, cancellationToken).ConfigureAwait(false);
        var batch256 = dlrm.CreateInputs(256, new DeterministicRandom(4));
        var engineFp32 = EngineBaseline.Run("raw engine fp32, batch 256", fp32.Path, batch256, options.Threads, duration);
        var engineInt8 = EngineBaseline.Run("raw engine int8, batch 256", int8.ModelPath, batch256, options.Threads, duration);
        var enginePruned = EngineBaseline.Run("raw engine pruned 50%, batch 256", pruned.ModelPath, batch256, options.Threads, duration);
        await Log(log, engineFp32, engineInt8, enginePruned).ConfigureAwait(false);
        figures.Add(new("components", "int8 / fp32, raw engine (rows/CPU-s)", engineInt8.RowsPerCpuSecond / engineFp32.RowsPerCpuSecond, "x",
            $"dlrm-small, batch 256; AUC drop {int8.Manifest.Fidelity?.AucDrop:F5}, top-10 {int8.Manifest.Fidelity?.Top10Agreement:F3}"));
        figures.Add(new("components", "pruned 50% / unpruned, raw engine (rows/CPU-s)", enginePruned.RowsPerCpuSecond / engineFp32.RowsPerCpuSecond, "x",
            $"dlrm-small, batch 256; AUC drop {pruned.Manifest.Fidelity?.AucDrop:F5}, top-10 {pruned.Manifest.Fidelity?.Top10Agreement:F3} (no fine-tuning)"));
        figures.Add(new("components", "emb-int8 / fp32 artifact size", (double)embInt8.Manifest.SizeBytes / new FileInfo(fp32.Path).Length, "x",
            $"dlrm-small; AUC drop {embInt8.Manifest.Fidelity?.AucDrop:F5}"));
        return figures;
    }

    private static Task<PipelineResult> Transform(IModelTransform transform, string input, string folder, IInferenceEngine engine, CancellationToken cancellationToken) =>
        OptimizationPipeline.RunAsync(transform, new PipelineOptions { InputPath = input, OutputFolder = Path.Combine(folder, transform.Name) }, engine, cancellationToken);

    private static PodOptions Pod(string path, BenchOptions options) => BenchPods.Options("m", path, options.Threads);

    private static async Task Log(TextWriter log, params LoadResult[] results)
    {
        foreach (var result in results)
        {
            await log.WriteLineAsync("  " + result.Line()).ConfigureAwait(false);
        }
    }
}
