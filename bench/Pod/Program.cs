using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using RecOperator.Bench.Pod;
using RecOperator.InferencePod.Configuration;
using RecOperator.InferencePod.Server;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;

// Pod benchmarks (a)-(d): every figure of one scenario comes from the same run, printed side by side.
// Usage: dotnet run -c Release --project bench/Pod [-- --seconds N] [-- --threads N]
var seconds = args.SkipWhile(a => a != "--seconds").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(5);
var threads = args.SkipWhile(a => a != "--threads").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(2);
var duration = TimeSpan.FromSeconds(seconds);
var folder = Directory.CreateTempSubdirectory("recpod-bench-").FullName;
var engine = OrtEngine.Create();
var dlrm = await ReferenceModelBuilder.BuildAsync(ReferenceModelCatalog.Create("dlrm-small"), folder, engine, CancellationToken.None);
var userCandidate = await ReferenceModelBuilder.BuildAsync(ReferenceModelCatalog.Create("user-candidate"), folder, engine, CancellationToken.None);
var tinyPath = Path.Combine(folder, "tiny.onnx");
var tinyGraph = new OnnxGraphBuilder("tiny").Input("x", TensorElementType.Float, "batch", 4).Output("y", TensorElementType.Float, "batch", 4);
tinyGraph.NodeNamed("Identity", "y", ["x"]);
OnnxModelFiles.Write(tinyGraph.Build("bench"), tinyPath);
Console.WriteLine($"engine {engine.Description}; {Environment.ProcessorCount} cores; intra-op threads {threads}; {seconds} s per run; client and pod share the machine");

PodOptions Options(string path, string name) => new()
{
    ModelName = name, Artifact = path, BindAddress = "127.0.0.1", HttpPort = 0, GrpcPort = 0, IntraOpThreads = threads, WarmupRuns = 3,
    DrainDelayMs = 0, MaxQueueRequests = 4096,
};
async Task<PodServer> Start(PodOptions options) => await PodServer.StartAsync(options, engine, l => l.SetMinimumLevel(LogLevel.Warning));
static double AverageBatch(string metrics)
{
    double Value(string series) => double.Parse(Regex.Match(metrics, "^" + series + @"\{[^}]*\} (\S+)$", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
    return Value("recpod_batch_size_sum") / Value("recpod_batch_size_count");
}

// (a) the pod at saturation vs the raw engine on batches of the size the pod formed.
Console.WriteLine("\n(a) saturation: pod (gRPC, 16 clients x 16 rows) vs raw engine on the same batch size; goal >= 0.9x");
await using (var pod = await Start(Options(dlrm.Path, "dlrm") with { MaxBatchSize = 256, MaxQueueDelayMicros = 2000 }))
using (var clients = new PodClients(pod.HttpPort, pod.GrpcPort))
{
    var inputs = ReferenceModelCatalog.Create("dlrm-small").CreateInputs(16, new DeterministicRandom(1));
    var podResult = await LoadGenerator.ClosedLoopAsync("pod gRPC closed loop", 16, duration, 16, clients.Grpc("dlrm", inputs));
    using var http = new HttpClient();
    var batch = (int)Math.Round(AverageBatch(await http.GetStringAsync($"http://127.0.0.1:{pod.HttpPort}/metrics")));
    var restResult = await LoadGenerator.ClosedLoopAsync("pod REST closed loop", 16, duration, 16, clients.Rest("dlrm", inputs));
    var engineResult = EngineBaseline.Run($"raw engine, batch {batch}", dlrm.Path, ReferenceModelCatalog.Create("dlrm-small").CreateInputs(batch, new DeterministicRandom(1)), threads, duration);
    Console.WriteLine(podResult.Line());
    Console.WriteLine(restResult.Line());
    Console.WriteLine(engineResult.Line());
    Console.WriteLine($"ratio pod gRPC / engine (rows/s): {podResult.RowsPerSecond / engineResult.RowsPerSecond:F2}x; REST / engine: {restResult.RowsPerSecond / engineResult.RowsPerSecond:F2}x");
}

// (b) batching on vs off: the highest open-loop rate of 20-candidate requests with p99 <= 25 ms.
Console.WriteLine("\n(b) batching on vs off, 20-candidate requests, highest rate with p99 <= 25 ms (open loop, gRPC); goal >= 2x");
var rates = new double[] { 25, 50, 100, 200, 300, 400, 600, 800, 1200, 1600, 2400 };
var stepDuration = TimeSpan.FromSeconds(Math.Max(2, seconds / 2));
var best = new Dictionary<bool, LoadResult?>();
var saturated = new Dictionary<bool, LoadResult>();
foreach (var batching in new[] { false, true })
{
    await using var pod = await Start(Options(dlrm.Path, "dlrm") with { MaxBatchSize = batching ? 512 : 1, MaxQueueDelayMicros = batching ? 2000 : 0 });
    using var clients = new PodClients(pod.HttpPort, pod.GrpcPort);
    var send = clients.Grpc("dlrm", ReferenceModelCatalog.Create("dlrm-small").CreateInputs(20, new DeterministicRandom(2)));
    best[batching] = await LoadGenerator.MaxRateWithinSloAsync($"batching {(batching ? "on " : "off")}", rates, stepDuration, 25, 20, send,
        r => Console.WriteLine("  " + r.Line()));
    // Also the saturation throughput (32 closed-loop clients): meaningful even when machine noise breaks the SLO.
    saturated[batching] = await LoadGenerator.ClosedLoopAsync($"batching {(batching ? "on " : "off")} saturation (32 clients)", 32, duration, 20, send);
    Console.WriteLine("  " + saturated[batching].Line());
}
Console.WriteLine($"max rate within SLO: off {best[false]?.RequestsPerSecond:F0}/s, on {best[true]?.RequestsPerSecond:F0}/s, " +
    $"ratio {(best[true]?.RequestsPerSecond ?? 0) / Math.Max(1, best[false]?.RequestsPerSecond ?? 0):F2}x; " +
    $"saturation ratio on / off {saturated[true].RequestsPerSecond / saturated[false].RequestsPerSecond:F2}x");

// (c) user-side reuse on vs off at 500 candidates.
Console.WriteLine("\n(c) user-side reuse on vs off, 1 user x 500 candidates (closed loop, gRPC, 4 clients); goal >= 1.25x");
var reuseResults = new Dictionary<bool, LoadResult>();
foreach (var reuse in new[] { false, true })
{
    await using var pod = await Start(Options(userCandidate.Path, "ranker") with { UserSideReuse = reuse, MaxBatchSize = 2048 });
    using var clients = new PodClients(pod.HttpPort, pod.GrpcPort);
    var send = clients.Grpc("ranker", ReferenceModelCatalog.Create("user-candidate").CreateInputs(500, new DeterministicRandom(3)));
    reuseResults[reuse] = await LoadGenerator.ClosedLoopAsync($"reuse {(reuse ? "on (user at batch 1)" : "off (user tiled x500)")}", 4, duration, 500, send);
    Console.WriteLine(reuseResults[reuse].Line());
}
Console.WriteLine($"ratio reuse on / off (req/s): {reuseResults[true].RequestsPerSecond / reuseResults[false].RequestsPerSecond:F2}x");

// (d) server overhead with a tiny model: one client, so latency is the path through the server.
Console.WriteLine("\n(d) server overhead, tiny model (Identity [1, 4]), 1 client closed loop");
await using (var pod = await Start(Options(tinyPath, "tiny") with { MaxBatchSize = 64, MaxQueueDelayMicros = 0 }))
using (var clients = new PodClients(pod.HttpPort, pod.GrpcPort))
{
    var inputs = new[] { new NamedTensor("x", TensorBuffer.Over(new float[] { 1, 2, 3, 4 }, 1, 4)) };
    var rest = await LoadGenerator.ClosedLoopAsync("pod REST", 1, duration, 1, clients.Rest("tiny", inputs));
    var grpc = await LoadGenerator.ClosedLoopAsync("pod gRPC", 1, duration, 1, clients.Grpc("tiny", inputs));
    var raw = EngineBaseline.Run("raw engine", tinyPath, inputs, threads, duration);
    Console.WriteLine(rest.Line());
    Console.WriteLine(grpc.Line());
    Console.WriteLine(raw.Line());
    Console.WriteLine($"overhead p50/p99: REST {rest.P50 - raw.P50:F3}/{rest.P99 - raw.P99:F3} ms, gRPC {grpc.P50 - raw.P50:F3}/{grpc.P99 - raw.P99:F3} ms");
}
Directory.Delete(folder, recursive: true);
