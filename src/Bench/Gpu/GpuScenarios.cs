using System.Globalization;
using RecOperator.Bench.Load;
using RecOperator.InferencePod.Configuration;
using RecOperator.InferencePod.Protocol;
using RecOperator.ModelOptimizer.Fidelity;
using RecOperator.ModelOptimizer.Fp16;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.ModelOptimizer.Quantization;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;

namespace RecOperator.Bench.Gpu;

/// <summary>
/// The GPU figures of issue #12, side by side in one run on one host: (g1) CUDA fp32 and fp16 vs CPU int8 and fp32
/// at batch 256 and 4,096, engine and pod; (g2) the pod on CUDA vs the raw engine on CUDA at saturation; (g3) dynamic
/// batching on vs off on CUDA with 20-candidate requests; (g4) fp16 fidelity on CUDA against fp32; (g5) cost per
/// million pairs at the sample pools' prices. Needs a GPU core with its CUDA provider (bench/gpu/device-run.sh).
/// </summary>
public static class GpuScenarios
{
    // The sample NodePools' prices (manifests/samples/nodepools.yaml): one replica of 1 CPU on spot, and one GPU.
    private const double CpuSpotPerReplicaHour = 0.04;
    private const double GpuPerReplicaHour = 1.10;
    private const double SloMs = 25;

    /// <param name="gpuProvider">"Cuda"; "CPU" runs every step on the CPU, a dry run of the script on a host without a GPU.</param>
    /// <param name="modelsFolder">Where the models stay (with request-20.json, one OIP request for them); null: a temporary folder.</param>
    public static async Task RunAsync(TimeSpan duration, int cpuThreads, int delayMicros, string gpuProvider, string? modelsFolder)
    {
        var gpu = new ExecutionProviderRequest(gpuProvider);
        var folder = modelsFolder ?? Directory.CreateTempSubdirectory("recpod-gpu-bench-").FullName;
        Directory.CreateDirectory(folder);
        var engine = OrtEngine.Create();
        var reference = ReferenceModelCatalog.Create("dlrm-v2");
        var fp32 = await ReferenceModelBuilder.BuildAsync(reference, folder, engine, CancellationToken.None);
        var fp16 = await OptimizationPipeline.RunAsync(new Fp16Transform(keepIoFp32: true, new HashSet<string>()),
            new PipelineOptions { InputPath = fp32.Path, OutputFolder = Path.Combine(folder, "fp16") }, engine, CancellationToken.None);
        var int8 = await OptimizationPipeline.RunAsync(new DynamicInt8Transform(),
            new PipelineOptions { InputPath = fp32.Path, OutputFolder = Path.Combine(folder, "int8") }, engine, CancellationToken.None);
        await File.WriteAllBytesAsync(Path.Combine(folder, "request-20.json"), InferRequestJson.Utf8(reference.CreateInputs(20, new DeterministicRandom(8))));
        using (engine.Load(fp32.Path, new InferenceSessionOptions { ExecutionProviders = [gpu] }))
        {
            Console.WriteLine($"engine {engine.Description} ({OrtEngineInfo(engine)}); provider devices: {string.Join(", ", engine.ProviderDevices)}");
        }
        Console.WriteLine($"{Environment.ProcessorCount} cores; CPU runs use {cpuThreads} intra-op threads; {duration.TotalSeconds:F0} s per run; model dlrm-v2 " +
            "(13 dense + 26 sparse, dim 128, bottom 13-512-256-128, top 1024-1024-512-256-1, 10,000 rows per table)");

        var variants = new (string Label, string Path, IReadOnlyList<ExecutionProviderRequest> Providers, int Threads)[]
        {
            ("CUDA fp32", fp32.Path, [gpu], 1),
            ("CUDA fp16", fp16.ModelPath, [gpu], 1),
            ($"CPU int8 ({cpuThreads} threads)", int8.ModelPath, [], cpuThreads),
            ($"CPU fp32 ({cpuThreads} threads)", fp32.Path, [], cpuThreads),
            ("CPU int8 (1 thread = 1 replica)", int8.ModelPath, [], 1),
        };

        Console.WriteLine("\n(g1) engine and pod per variant at batch 256 and 4,096 (pod: gRPC, closed loop, 4 clients, one request = one batch)");
        var podResults = new Dictionary<(string Label, int Rows), LoadResult>();
        foreach (var (label, path, providers, threads) in variants)
        {
            foreach (var rows in new[] { 256, 4096 })
            {
                var inputs = reference.CreateInputs(rows, new DeterministicRandom(5));
                var raw = EngineBaseline.Run($"{label} engine, batch {rows}", path, inputs, threads, duration, providers);
                Console.WriteLine(raw.Line());
                await using var pod = await BenchPods.StartAsync(Options(path, label, providers, threads) with { MaxBatchSize = rows, MaxQueueDelayMicros = 0 });
                using var clients = new PodClients(pod.HttpPort, pod.GrpcPort);
                var send = clients.Grpc("dlrm", inputs);
                await WarmUpAsync(send);
                var served = await LoadGenerator.ClosedLoopAsync($"{label} pod, {rows} rows/request", 4, duration, rows, send);
                Console.WriteLine(served.Line());
                podResults[(label, rows)] = served;
            }
        }

        await SectionAsync(async () =>
        {
            Console.WriteLine("\n(g2) saturation on CUDA fp32: pod (256-row requests, 16 clients, max batch 4,096) vs raw engine on the pod's average batch; goal >= 0.9x");
            await using (var pod = await BenchPods.StartAsync(Options(fp32.Path, "CUDA fp32", [gpu], 1) with { MaxBatchSize = 4096, MaxQueueDelayMicros = delayMicros }))
            using (var clients = new PodClients(pod.HttpPort, pod.GrpcPort))
            using (var http = new HttpClient())
            {
                var send = clients.Grpc("dlrm", reference.CreateInputs(256, new DeterministicRandom(6)));
                await WarmUpAsync(send);
                var before = await PodMetricsReader.BatchesAsync(http, pod.HttpPort);
                var served = await LoadGenerator.ClosedLoopAsync("pod gRPC, 16 clients x 256 rows", 16, duration, 256, send);
                var batch = PodMetricsReader.AverageBatch(before, await PodMetricsReader.BatchesAsync(http, pod.HttpPort));
                var raw = EngineBaseline.Run($"raw engine, batch {batch}", fp32.Path, reference.CreateInputs(batch, new DeterministicRandom(6)), 1, duration, [gpu]);
                Console.WriteLine(served.Line());
                Console.WriteLine(raw.Line());
                Console.WriteLine($"ratio pod / engine (rows/s): {served.RowsPerSecond / raw.RowsPerSecond:F2}x at an average batch of {batch} rows");
            }
        });

        await SectionAsync(async () =>
        {
            Console.WriteLine($"\n(g3) batching on vs off on CUDA fp32, 20-candidate requests: highest open-loop rate with p99 <= {SloMs} ms, and saturation; goal >= 5x");
            var rates = new double[] { 250, 500, 1000, 2000, 4000, 8000, 12000, 16000, 24000, 32000 };
            var best = new Dictionary<bool, LoadResult?>();
            var saturated = new Dictionary<bool, LoadResult>();
            foreach (var batching in new[] { false, true })
            {
                await using var pod = await BenchPods.StartAsync(Options(fp32.Path, "CUDA fp32", [gpu], 1) with
                {
                    MaxBatchSize = batching ? 4096 : 1, MaxQueueDelayMicros = batching ? delayMicros : 0, MaxQueueRequests = 8192,
                });
                using var clients = new PodClients(pod.HttpPort, pod.GrpcPort);
                var send = clients.Grpc("dlrm", reference.CreateInputs(20, new DeterministicRandom(7)));
                await WarmUpAsync(send);
                var name = $"batching {(batching ? "on " : "off")}";
                using var http = new HttpClient();
                var parts = new PodLatencyParts(http, pod.HttpPort);
                await parts.MarkAsync();
                best[batching] = await LoadGenerator.MaxRateWithinSloAsync(name, rates, TimeSpan.FromSeconds(Math.Max(2, duration.TotalSeconds / 2)), SloMs, 20, send,
                    async r => Console.WriteLine($"  {r.Line()}  {await parts.SinceLastAsync()}"));
                await parts.MarkAsync();
                saturated[batching] = await LoadGenerator.ClosedLoopAsync($"{name} saturation (64 clients)", 64, duration, 20, send);
                Console.WriteLine($"  {saturated[batching].Line()}  {await parts.SinceLastAsync()}");
            }
            Console.WriteLine($"max rate within SLO: off {best[false]?.RequestsPerSecond ?? 0:F0}/s, on {best[true]?.RequestsPerSecond ?? 0:F0}/s, " +
                $"ratio {(best[true]?.RequestsPerSecond ?? 0) / Math.Max(1, best[false]?.RequestsPerSecond ?? 0):F2}x; " +
                $"saturation ratio on / off {saturated[true].RequestsPerSecond / saturated[false].RequestsPerSecond:F2}x");
        });

        await SectionAsync(async () =>
        {
            Console.WriteLine("\n(g4) fidelity of the optimizer's fp16 artifact scored on CUDA, against fp32 on CPU (16 requests x 100 candidates)");
            using (var cpuReference = SessionScorer.Load(engine, fp32.Path, cpuThreads))
            using (var gpuCandidate = new SessionScorer(engine.Load(fp16.ModelPath, new InferenceSessionOptions { ExecutionProviders = [gpu] })))
            using (var gpuFp32 = new SessionScorer(engine.Load(fp32.Path, new InferenceSessionOptions { ExecutionProviders = [gpu] })))
            {
                var specs = InputSpecs.Of(RecOperator.Onnx.Model.OnnxModelFiles.Read(fp32.Path, loadExternalData: false));
                foreach (var (label, candidate) in new[] { ("CUDA fp16", gpuCandidate), ("CUDA fp32", gpuFp32) })
                {
                    var report = FidelityRunner.Compare(cpuReference, candidate, specs, new FidelityOptions(), CancellationToken.None);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{label,-10} vs CPU fp32: top-10 agreement {report.Top10Agreement:F4}, AUC drop {report.AucDrop:F5}, max |error| {report.MaxAbsError:E2}, Spearman {report.Spearman:F4}"));
                }
            }
        });

        await SectionAsync(async () =>
        {
            Console.WriteLine($"\n(g5) cost per million scored pairs (pod figures of g1), GPU replica {GpuPerReplicaHour}/h, CPU replica (1 core, spot) {CpuSpotPerReplicaHour}/h");
            foreach (var (label, perHour) in new[] { ("CUDA fp32", GpuPerReplicaHour), ("CUDA fp16", GpuPerReplicaHour), ("CPU int8 (1 thread = 1 replica)", CpuSpotPerReplicaHour) })
            {
                foreach (var rows in new[] { 256, 4096 })
                {
                    var result = podResults[(label, rows)];
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{label,-32} {rows,5} rows/request {result.RowsPerSecond,12:F0} pairs/s per replica  p99 {result.P99,8:F2} ms  {perHour / (result.RowsPerSecond * 3600) * 1e6,10:F5} per million pairs"));
                }
            }
        });

        if (modelsFolder is null)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>One section's failure is printed and the next one runs: a device lease is too short to lose the rest.</summary>
    private static async Task SectionAsync(Func<Task> section)
    {
        try
        {
            await section();
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            Console.WriteLine($"section failed: {failure}");
        }
    }

    private static string OrtEngineInfo(OrtEngine engine) => engine.BuildInfo.Split(',')[0];

    private static PodOptions Options(string path, string variant, IReadOnlyList<ExecutionProviderRequest> providers, int threads) =>
        BenchPods.Options("dlrm", path, threads) with
        {
            Variant = variant.Split(' ')[0].ToLowerInvariant(), ExecutionProvider = providers.Count == 0 ? "CPU" : providers[0].Name, MaxRowsPerRequest = 4096,
        };

    private static Task WarmUpAsync(Func<Task<bool>> send) => LoadGenerator.WarmUpAsync(send);
}
