using System.Globalization;
using RecOperator.Bench.Gpu;
using RecOperator.Bench.Load;
using RecOperator.InferencePod.Configuration;
using RecOperator.InferencePod.Server;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.ModelOptimizer.Split;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;

// Pod benchmarks (a)-(d): every figure of one scenario comes from the same run, printed side by side.
// Usage: dotnet run -c Release --project bench/Pod [-- --seconds N] [-- --threads N]
// With --gpu [--gpu-provider CPU] [--models DIR]: the GPU scenarios (GpuScenarios.cs) instead, on a GPU core with its CUDA provider
// (bench/gpu/device-run.sh).
var seconds = args.SkipWhile(a => a != "--seconds").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(5);
var threads = args.SkipWhile(a => a != "--threads").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(2);
// --delay-us N: the batched pods' max queue delay (default 2000).
var delayMicros = args.SkipWhile(a => a != "--delay-us").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(2000);
// --only abd runs a subset of the scenarios a-f and p (a-e by default; f, the allocation profile, and p, the pod process's
// CPU, only when named).
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault("abcde");
// (p): --pod-dll LABEL=PATH (repeatable) names the `recop` builds that take turns (default .build/recop/recop.dll, which
// ./recop builds); --rounds N; --no-op-only measures only the serving path's own CPU (a no-op model with dlrm-small's inputs).
var podDlls = args.Select((a, i) => (a, i)).Where(p => p.a == "--pod-dll" && p.i + 1 < args.Length).Select(p => args[p.i + 1].Split('=', 2))
    .Select(p => p.Length == 2 ? (Label: p[0], RecopDll: Path.GetFullPath(p[1])) : (Label: "recop", RecopDll: Path.GetFullPath(p[0]))).ToList();
// (p): --pod-env LABEL=KEY=VALUE (repeatable) sets an environment variable for that label's pods alone, so one build can be
// compared with itself under a runtime knob (the load generator keeps its own environment).
var podEnvironment = args.Select((a, i) => (a, i)).Where(p => p.a == "--pod-env" && p.i + 1 < args.Length).Select(p => args[p.i + 1].Split('=', 3))
    .Where(p => p.Length == 3).Select(p => (Label: p[0], Variable: new KeyValuePair<string, string>(p[1], p[2]))).ToList();
// (p): --rows 16,64,256 sets the request sizes measured in turn (default 16).
var podRows = args.SkipWhile(a => a != "--rows").Skip(1).Select(a => a.Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray())
    .FirstOrDefault([16]);
var rounds = args.SkipWhile(a => a != "--rounds").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(1);
var duration = TimeSpan.FromSeconds(seconds);
if (args.Contains("--gpu"))
{
    // --gpu-provider CPU: the same steps on the CPU, to try the device script on a host without a GPU.
    await GpuScenarios.RunAsync(duration, threads, delayMicros, args.SkipWhile(a => a != "--gpu-provider").Skip(1).FirstOrDefault("Cuda"),
        args.SkipWhile(a => a != "--models").Skip(1).FirstOrDefault());
    return;
}
var folder = Directory.CreateTempSubdirectory("recpod-bench-").FullName;
var engine = OrtEngine.Create();
var dlrm = await ReferenceModelBuilder.BuildAsync(ReferenceModelCatalog.Create("dlrm-small"), folder, engine, CancellationToken.None);
var userCandidate = await ReferenceModelBuilder.BuildAsync(ReferenceModelCatalog.Create("user-candidate"), folder, engine, CancellationToken.None);
var tinyPath = Path.Combine(folder, "tiny.onnx");
var tinyGraph = new OnnxGraphBuilder("tiny").Input("x", TensorElementType.Float, "batch", 4).Output("y", TensorElementType.Float, "batch", 4);
tinyGraph.NodeNamed("Identity", "y", ["x"]);
OnnxModelFiles.Write(tinyGraph.Build("bench"), tinyPath);
Console.WriteLine($"engine {engine.Description}; {Environment.ProcessorCount} cores; intra-op threads {threads}; {seconds} s per run; client and pod share the machine");

PodOptions Options(string path, string name) => BenchPods.Options(name, path, threads);
Task<PodServer> Start(PodOptions options) => BenchPods.StartAsync(options, engine);
static Task WarmUp(Func<Task<bool>> send) => LoadGenerator.WarmUpAsync(send);

// (a) the pod at saturation vs the raw engine on batches of the size the pod formed. Requests of 16, 64 and 256 rows:
// the server's cost is per request (HTTP/2 framing, protobuf, a task per call), the engine's per row, so the ratio
// depends on how many rows one request carries. Enough clients keep a second batch queued while one runs.
if (only.Contains('a', StringComparison.Ordinal))
{
    Console.WriteLine("\n(a) saturation: pod (gRPC raw_input_contents) vs raw engine on the pod's average batch size; goal >= 0.9x");
    foreach (var (rows, clientCount) in new[] { (16, 32), (64, 8), (256, 4) })
    {
        await using var pod = await Start(Options(dlrm.Path, "dlrm") with { MaxBatchSize = 256, MaxQueueDelayMicros = delayMicros });
        using var clients = new PodClients(pod.HttpPort, pod.GrpcPort);
        var inputs = ReferenceModelCatalog.Create("dlrm-small").CreateInputs(rows, new DeterministicRandom(1));
        await WarmUp(clients.Grpc("dlrm", inputs));
        await WarmUp(clients.Rest("dlrm", inputs));
        using var http = new HttpClient();
        var before = await PodMetricsReader.BatchesAsync(http, pod.HttpPort);
        var podResult = await LoadGenerator.ClosedLoopAsync($"pod gRPC, {clientCount} clients x {rows} rows", clientCount, duration, rows, clients.Grpc("dlrm", inputs));
        // The average batch of the measured gRPC run only (the metrics' sum and count before and after it).
        var batch = PodMetricsReader.AverageBatch(before, await PodMetricsReader.BatchesAsync(http, pod.HttpPort));
        var restResult = rows == 16 ? await LoadGenerator.ClosedLoopAsync($"pod REST, {clientCount} clients x {rows} rows", clientCount, duration, rows, clients.Rest("dlrm", inputs)) : null;
        var engineResult = EngineBaseline.Run($"raw engine, batch {batch}", dlrm.Path, ReferenceModelCatalog.Create("dlrm-small").CreateInputs(batch, new DeterministicRandom(1)), threads, duration);
        Console.WriteLine(podResult.Line());
        if (restResult is not null)
        {
            Console.WriteLine(restResult.Line());
        }
        Console.WriteLine(engineResult.Line());
        Console.WriteLine($"ratio at {rows} rows/request, pod gRPC / engine: rows/s {podResult.RowsPerSecond / engineResult.RowsPerSecond:F2}x, " +
            $"rows/CPU-s {podResult.RowsPerCpuSecond / engineResult.RowsPerCpuSecond:F2}x" +
            (restResult is null ? "" : $"; REST / engine: rows/s {restResult.RowsPerSecond / engineResult.RowsPerSecond:F2}x, rows/CPU-s {restResult.RowsPerCpuSecond / engineResult.RowsPerCpuSecond:F2}x"));
    }
}

// (b) batching on vs off: the highest open-loop rate of 20-candidate requests with p99 <= 25 ms.
if (only.Contains('b', StringComparison.Ordinal))
{
    Console.WriteLine("\n(b) batching on vs off, 20-candidate requests, highest rate with p99 <= 25 ms (open loop, gRPC); goal >= 2x");
    // The ladder runs past the unbatched pod's saturation (about 4,700/s on the idle machine), so the SLO breaks on it.
    var rates = new double[] { 25, 100, 400, 800, 1600, 2400, 3200, 4000, 4800, 5600, 6400, 8000 };
    var stepDuration = TimeSpan.FromSeconds(Math.Max(2, seconds / 2));
    var best = new Dictionary<bool, LoadResult?>();
    var saturated = new Dictionary<bool, LoadResult>();
    foreach (var batching in new[] { false, true })
    {
        await using var pod = await Start(Options(dlrm.Path, "dlrm") with { MaxBatchSize = batching ? 512 : 1, MaxQueueDelayMicros = batching ? delayMicros : 0 });
        using var clients = new PodClients(pod.HttpPort, pod.GrpcPort);
        var send = clients.Grpc("dlrm", ReferenceModelCatalog.Create("dlrm-small").CreateInputs(20, new DeterministicRandom(2)));
        await WarmUp(send);
        // Each step also prints, from the pod's own histograms over that step, the p99 of its request latency, queue wait
        // and batch run, so a step that breaks the SLO shows where the time went.
        using var http = new HttpClient();
        var parts = new PodLatencyParts(http, pod.HttpPort);
        await parts.MarkAsync();
        best[batching] = await LoadGenerator.MaxRateWithinSloAsync($"batching {(batching ? "on " : "off")}", rates, stepDuration, 25, 20, send,
            async r => Console.WriteLine($"  {r.Line()}  {await parts.SinceLastAsync()}"));
        // Also the saturation throughput (32 closed-loop clients): meaningful even when machine noise breaks the SLO.
        await parts.MarkAsync();
        saturated[batching] = await LoadGenerator.ClosedLoopAsync($"batching {(batching ? "on " : "off")} saturation (32 clients)", 32, duration, 20, send);
        Console.WriteLine($"  {saturated[batching].Line()}  {await parts.SinceLastAsync()}");
    }
    Console.WriteLine($"max rate within SLO: off {best[false]?.RequestsPerSecond:F0}/s, on {best[true]?.RequestsPerSecond:F0}/s, " +
        $"ratio {(best[true]?.RequestsPerSecond ?? 0) / Math.Max(1, best[false]?.RequestsPerSecond ?? 0):F2}x; " +
        $"saturation ratio on / off {saturated[true].RequestsPerSecond / saturated[false].RequestsPerSecond:F2}x req/s, " +
        $"{saturated[true].RowsPerCpuSecond / saturated[false].RowsPerCpuSecond:F2}x rows/CPU-s");
    // What batching can gain at most on this engine: rows/s of one 20-row run vs one run of the batch the pod forms.
    var engine20 = EngineBaseline.Run("raw engine, batch 20", dlrm.Path, ReferenceModelCatalog.Create("dlrm-small").CreateInputs(20, new DeterministicRandom(2)), threads, duration);
    var engine320 = EngineBaseline.Run("raw engine, batch 320", dlrm.Path, ReferenceModelCatalog.Create("dlrm-small").CreateInputs(320, new DeterministicRandom(2)), threads, duration);
    Console.WriteLine("  " + engine20.Line());
    Console.WriteLine("  " + engine320.Line());
    Console.WriteLine($"engine ceiling of the batching gain (batch 320 / batch 20): rows/s {engine320.RowsPerSecond / engine20.RowsPerSecond:F2}x, " +
        $"rows/CPU-s {engine320.RowsPerCpuSecond / engine20.RowsPerCpuSecond:F2}x");
}

// (c) user-side reuse on vs off at 500 candidates.
if (only.Contains('c', StringComparison.Ordinal))
{
    Console.WriteLine("\n(c) user-side reuse on vs off, 1 user x 500 candidates (closed loop, gRPC, 4 clients); goal >= 1.25x");
    var reuseResults = new Dictionary<bool, LoadResult>();
    foreach (var reuse in new[] { false, true })
    {
        await using var pod = await Start(Options(userCandidate.Path, "ranker") with { UserSideReuse = reuse, MaxBatchSize = 2048 });
        using var clients = new PodClients(pod.HttpPort, pod.GrpcPort);
        var send = clients.Grpc("ranker", ReferenceModelCatalog.Create("user-candidate").CreateInputs(500, new DeterministicRandom(3)));
        await WarmUp(send);
        reuseResults[reuse] = await LoadGenerator.ClosedLoopAsync($"reuse {(reuse ? "on (user at batch 1)" : "off (user tiled x500)")}", 4, duration, 500, send);
        Console.WriteLine(reuseResults[reuse].Line());
    }
    Console.WriteLine($"ratio reuse on / off (req/s): {reuseResults[true].RequestsPerSecond / reuseResults[false].RequestsPerSecond:F2}x");
}

// (d) server overhead with a tiny model: one client, so latency is the path through the server.
if (only.Contains('d', StringComparison.Ordinal))
{
    Console.WriteLine("\n(d) server overhead, tiny model (Identity [1, 4]), 1 client closed loop");
    await using (var pod = await Start(Options(tinyPath, "tiny") with { MaxBatchSize = 64, MaxQueueDelayMicros = 0 }))
    using (var clients = new PodClients(pod.HttpPort, pod.GrpcPort))
    {
        var inputs = new[] { new NamedTensor("x", TensorBuffer.Over(new float[] { 1, 2, 3, 4 }, 1, 4)) };
        await WarmUp(clients.Rest("tiny", inputs));
        await WarmUp(clients.Grpc("tiny", inputs));
        var rest = await LoadGenerator.ClosedLoopAsync("pod REST", 1, duration, 1, clients.Rest("tiny", inputs));
        var grpc = await LoadGenerator.ClosedLoopAsync("pod gRPC", 1, duration, 1, clients.Grpc("tiny", inputs));
        var raw = EngineBaseline.Run("raw engine", tinyPath, inputs, threads, duration);
        Console.WriteLine(rest.Line());
        Console.WriteLine(grpc.Line());
        Console.WriteLine(raw.Line());
        Console.WriteLine($"overhead p50/p99: REST {rest.P50 - raw.P50:F3}/{rest.P99 - raw.P99:F3} ms, gRPC {grpc.P50 - raw.P50:F3}/{grpc.P99 - raw.P99:F3} ms");
        // The protocol's CPU cost per request at saturation (load generator + pod, engine work nil): what (a) pays per request.
        var busy = await LoadGenerator.ClosedLoopAsync("pod gRPC, 32 clients", 32, duration, 1, clients.Grpc("tiny", inputs));
        Console.WriteLine(busy.Line());
        Console.WriteLine($"protocol CPU per request at saturation (client + server, gRPC): {busy.CpuSeconds / Math.Max(1, busy.Completed) * 1e6:F0} us");
    }
}

// (e) a split artifact (`optimize split`) served by the pod vs the unsplit model, one user x 500 candidates.
if (only.Contains('e', StringComparison.Ordinal))
{
    Console.WriteLine("\n(e) split artifact vs unsplit model, 1 user x 500 candidates (closed loop, gRPC, 4 clients)");
    var split = await SplitPipeline.RunAsync(["user_dense", "user_history"], new PipelineOptions { InputPath = userCandidate.Path, OutputFolder = Path.Combine(folder, "split") },
        engine, CancellationToken.None);
    var results = new List<LoadResult>();
    foreach (var (label, path) in new[] { ("unsplit (reuse on)", userCandidate.Path), ("split (user model once per request)", split.ModelPath) })
    {
        // Max batch 512: a 500-candidate request already fills an efficient engine call, so it runs alone; joining
        // such requests would only repeat user rows (the split pod joins users when requests are small).
        await using var pod = await Start(Options(path, "ranker") with { MaxBatchSize = 512 });
        using var clients = new PodClients(pod.HttpPort, pod.GrpcPort);
        var send = clients.Grpc("ranker", ReferenceModelCatalog.Create("user-candidate").CreateInputs(500, new DeterministicRandom(3)));
        await WarmUp(send);
        results.Add(await LoadGenerator.ClosedLoopAsync(label, 4, duration, 500, send));
        Console.WriteLine(results[^1].Line());
    }
    Console.WriteLine($"ratio split / unsplit: req/s {results[1].RequestsPerSecond / results[0].RequestsPerSecond:F2}x, rows/CPU-s {results[1].RowsPerCpuSecond / results[0].RowsPerCpuSecond:F2}x");
}

// (f) allocation profile of the hot path: bytes allocated per request (pod and in-process load generator together)
// and the types that take them, so pooling goes where the bytes are.
if (only.Contains('f', StringComparison.Ordinal))
{
    Console.WriteLine("\n(f) allocations per request, dlrm-small 16 rows, 16 clients closed loop (pod + load generator, sampled by type)");
    foreach (var protocol in new[] { "gRPC", "REST" })
    {
        await using var pod = await Start(Options(dlrm.Path, "dlrm") with { MaxBatchSize = 256, MaxQueueDelayMicros = delayMicros });
        using var clients = new PodClients(pod.HttpPort, pod.GrpcPort);
        var inputs = ReferenceModelCatalog.Create("dlrm-small").CreateInputs(16, new DeterministicRandom(1));
        var send = protocol == "gRPC" ? clients.Grpc("dlrm", inputs) : clients.Rest("dlrm", inputs);
        await WarmUp(send);
        using var sampler = new RecOperator.Bench.Pod.AllocationSampler();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var gen0Before = GC.CollectionCount(0);
        var result = await LoadGenerator.ClosedLoopAsync($"pod {protocol}, 16 clients x 16 rows", 16, duration, 16, send);
        var perRequest = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)Math.Max(1, result.Completed);
        Console.WriteLine(result.Line());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{protocol}: {perRequest / 1024:F1} KiB allocated per request; gen0 collections {GC.CollectionCount(0) - gen0Before}; "
            + $"request input tensors {inputs.Sum(i => i.Tensor.ByteLength) / 1024.0:F1} KiB"));
        var ranked = sampler.Ranked();
        var total = Math.Max(1, ranked.Sum(r => r.Bytes));
        foreach (var (type, bytes) in ranked.Take(8))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {bytes * 100.0 / total,5:F1}%  {type}"));
        }
    }
}

// (p) the pod's own process CPU per request against the raw engine's (see PodCpuScenario).
if (only.Contains('p', StringComparison.Ordinal))
{
    await RecOperator.Bench.Pod.PodCpuScenario.RunAsync(dlrm.Path, (podDlls.Count > 0 ? podDlls : [("recop", Path.GetFullPath(".build/recop/recop.dll"))])
        .Select(p => new RecOperator.Bench.Pod.PodBuild(p.Label, p.RecopDll, podEnvironment.Where(e => e.Label == p.Label).Select(e => e.Variable).ToList())).ToList(),
        podRows, threads, delayMicros, duration, rounds, noOpOnly: args.Contains("--no-op-only"));
}
Directory.Delete(folder, recursive: true);
