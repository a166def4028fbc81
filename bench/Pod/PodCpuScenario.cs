using System.Globalization;
using System.Text.RegularExpressions;
using RecOperator.Bench.Load;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;

namespace RecOperator.Bench.Pod;

/// <summary>
/// (p) The pod's own CPU per request against the raw engine's, with `recop pod` in its own process so the load
/// generator's CPU is not charged to it. Several builds of `recop` (say before and after a change) take turns, round
/// after round, so each is measured under the same machine load; each run is paired with an engine run right after it
/// on the batch size that run formed.
/// </summary>
internal static class PodCpuScenario
{
    /// <summary>Rows in flight: enough clients that a second full batch (256 rows) waits while one runs.</summary>
    private const int RowsInFlight = 512;

    private static int ClientsFor(int rows) => Math.Max(2, RowsInFlight / rows);

    /// <summary>
    /// The pod's own cost per request without the engine's: a model with dlrm-small's 27 inputs whose output is one
    /// slice of the dense input, so the pod parses, queues, gathers, scatters and answers the same requests while the
    /// engine does next to nothing. Its CPU per request is what the protocol and batching path costs.
    /// </summary>
    private static async Task RunNoOpAsync(PodBuild pod, string noOpPath, string[] settings, IReadOnlyList<NamedTensor> inputs, int rows,
        TimeSpan duration, int round, Dictionary<string, List<double>> overheads)
    {
        var label = pod.Label;
        await foreach (var run in RunProtocolsAsync(pod, noOpPath, settings, inputs, rows, duration))
        {
            var podUsPerRequest = run.PodCpuSeconds / Math.Max(1, run.Load.Completed) * 1e6;
            var key = $"{label} {rows,3} rows {run.Protocol} no-op";
            (overheads.TryGetValue(key, out var o) ? o : overheads[key] = []).Add(podUsPerRequest);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  round {round} {key,-30} warm-up {run.WarmSeconds,2} s  {run.Load.RequestsPerSecond,7:F0} req/s  batch {run.Batch,4}  pod CPU {podUsPerRequest,6:F1} us/req  {run.SwitchesPerRequest,4:F1} switches {run.WorkItemsPerRequest,4:F1} work items/req  "
                + $"load generator {(run.Load.CpuSeconds / Math.Max(1, run.Load.Completed) * 1e6),6:F1} us/req  failed {run.Load.Failed}"));
        }
    }

    /// <summary>
    /// One pod of <paramref name="build"/> serving <paramref name="modelPath"/>, measured over gRPC, then REST: each
    /// warmed until its JIT settled, then closed-loop load with the pod's CPU, context switches and JIT counted around it.
    /// With <paramref name="engineSlice"/>, the measured time is cut into <see cref="Slices"/> slices, each followed by a
    /// raw-engine slice on the batch size the pod formed: the machine's speed drifts by 10% and more within a minute here,
    /// and pod and engine alternating in short slices see the same drift, where one long run of each did not.
    /// </summary>
    private static async IAsyncEnumerable<ProtocolRun> RunProtocolsAsync(PodBuild build, string modelPath, string[] settings, IReadOnlyList<NamedTensor> inputs,
        int rows, TimeSpan duration, Func<int, TimeSpan, LoadResult>? engineSlice = null)
    {
        var label = build.Label;
        await using var pod = await PodProcess.StartAsync(build.RecopDll, modelPath, "dlrm", settings, build.Environment);
        using var clients = new PodClients(pod.HttpPort, pod.GrpcPort);
        using var http = new HttpClient();
        var slices = engineSlice is null ? 1 : Slices;
        foreach (var protocol in new[] { "gRPC", "REST" })
        {
            var send = protocol == "gRPC" ? clients.Grpc("dlrm", inputs) : clients.Rest("dlrm", inputs);
            var warmSeconds = await WarmUntilJitSettlesAsync(http, pod.HttpPort, send, rows);
            var batchesBefore = await PodMetricsReader.BatchesAsync(http, pod.HttpPort);
            var countersBefore = await RuntimeCountersAsync(http, pod.HttpPort);
            LoadResult? load = null;
            LoadResult? engine = null;
            var (podCpu, switches) = (0.0, 0L);
            for (var slice = 0; slice < slices; slice++)
            {
                var podCpuBefore = pod.CpuSeconds();
                var switchesBefore = pod.ContextSwitches();
                var part = await LoadGenerator.ClosedLoopAsync($"{label} {protocol}", ClientsFor(rows), duration / slices, rows, send);
                podCpu += pod.CpuSeconds() - podCpuBefore;
                switches += pod.ContextSwitches() - switchesBefore;
                load = load is null ? part : load.Plus(part);
                if (engineSlice is not null)
                {
                    var batchSoFar = PodMetricsReader.AverageBatch(batchesBefore, await PodMetricsReader.BatchesAsync(http, pod.HttpPort));
                    var enginePart = engineSlice(batchSoFar, duration / slices);
                    engine = engine is null ? enginePart : engine.Plus(enginePart);
                }
            }
            var countersAfter = await RuntimeCountersAsync(http, pod.HttpPort);
            var batch = PodMetricsReader.AverageBatch(batchesBefore, await PodMetricsReader.BatchesAsync(http, pod.HttpPort));
            var completed = Math.Max(1, load!.Completed);
            yield return new ProtocolRun(protocol, warmSeconds, load, podCpu, batch, countersAfter.Methods - countersBefore.Methods,
                countersAfter.Seconds - countersBefore.Seconds, (double)switches / completed, (countersAfter.WorkItems - countersBefore.WorkItems) / completed, engine);
        }
    }

    /// <summary>Pod and engine slices per measured run (see <see cref="RunProtocolsAsync"/>).</summary>
    private const int Slices = 3;

    private sealed record ProtocolRun(string Protocol, int WarmSeconds, LoadResult Load, double PodCpuSeconds, int Batch, double JitMethods, double JitSeconds,
        double SwitchesPerRequest, double WorkItemsPerRequest, LoadResult? Engine);

    private static string WriteNoOpModel(string folder)
    {
        var path = Path.Combine(folder, "dlrm-small-no-op.onnx");
        var g = new OnnxGraphBuilder("dlrm-small-no-op").Input(DlrmModelBuilder.DenseInput, TensorElementType.Float, "batch", 13);
        for (var f = 0; f < 26; f++)
        {
            g.Input(DlrmModelBuilder.SparseInput(f), TensorElementType.Int64, "batch");
        }
        g.Output(DlrmModelBuilder.Output, TensorElementType.Float, "batch", 1);
        g.NodeNamed("Slice", DlrmModelBuilder.Output, [DlrmModelBuilder.DenseInput, g.Initializer("starts", [0L], 1), g.Initializer("ends", [1L], 1),
            g.Initializer("axes", [1L], 1)]);
        OnnxModelFiles.Write(g.Build("bench"), path);
        return path;
    }

    /// <summary>
    /// Full load in one-second steps until the pod's JIT has settled (at least 5 steps, the last 3 with fewer than 20
    /// methods compiled each, read from its System.Runtime metrics), at most 30 s. A fresh process keeps re-compiling hot methods at higher tiers for
    /// many seconds, longest on a loaded machine, and that CPU is not the serving path's.
    /// </summary>
    private static async Task<int> WarmUntilJitSettlesAsync(HttpClient http, int httpPort, Func<Task<bool>> send, int rows)
    {
        var last = (await RuntimeCountersAsync(http, httpPort)).Methods;
        var quietSteps = 0;
        for (var step = 1; step <= 30; step++)
        {
            await LoadGenerator.ClosedLoopAsync("warm-up", ClientsFor(rows), TimeSpan.FromSeconds(1), rows, send);
            var now = (await RuntimeCountersAsync(http, httpPort)).Methods;
            // Tier-up waits for call counts and runs on a background thread, so one quiet second proves little.
            quietSteps = now - last < 20 ? quietSteps + 1 : 0;
            if (step >= 5 && quietSteps >= 3)
            {
                return step;
            }
            last = now;
        }
        return 30;
    }

    /// <summary>
    /// Methods the pod's JIT compiled so far and the seconds it spent (System.Runtime's dotnet.jit.* counters), and the
    /// thread-pool work items it ran: each is a hand-off between threads, which may wake a sleeping one.
    /// </summary>
    private static async Task<(double Methods, double Seconds, double WorkItems)> RuntimeCountersAsync(HttpClient http, int httpPort)
    {
        var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{httpPort}/metrics"));
        static double Value(string text, string series) =>
            double.Parse(Regex.Match(text, "^" + series + @"(?:\{[^}]*\})? (\S+)$", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
        return (Value(metrics, "dotnet_jit_compiled_methods_total"), Value(metrics, "dotnet_jit_compilation_time_total"),
            Value(metrics, "dotnet_thread_pool_work_item_count_total"));
    }

    /// <param name="requestRows">Rows per request, each measured in turn (clients: <see cref="ClientsFor"/>).</param>
    /// <param name="noOpOnly">Only the no-op model's pod CPU per request (a quick before/after of the serving path).</param>
    public static async Task RunAsync(string dlrmPath, IReadOnlyList<PodBuild> pods, IReadOnlyList<int> requestRows, int threads,
        int delayMicros, TimeSpan duration, int rounds, bool noOpOnly)
    {
        Console.WriteLine($"\n(p) pod process CPU vs raw engine, dlrm-small, {string.Join(" / ", requestRows.Select(r => $"{ClientsFor(r)} clients x {r} rows"))}, "
            + $"closed loop; `recop pod` in its own process (pod CPU from /proc/PID/stat); {rounds} round(s) over {string.Join(", ", pods.Select(p => p.Label))}; "
            + "goal >= 0.9x rows/CPU-s");
        var settings = new[]
        {
            "--threads", threads.ToString(CultureInfo.InvariantCulture), "--max-batch-size", "256",
            "--max-queue-delay-micros", delayMicros.ToString(CultureInfo.InvariantCulture), "--max-queue-requests", "4096", "--drain-delay-ms", "0",
        };
        var noOpPath = WriteNoOpModel(Path.GetDirectoryName(dlrmPath)!);
        var ratios = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var overheads = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var pooled = new PooledEngineCost();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var rows in requestRows)
            {
                var inputs = ReferenceModelCatalog.Create("dlrm-small").CreateInputs(rows, new DeterministicRandom(1));
                foreach (var pod in pods)
                {
                    await RunNoOpAsync(pod, noOpPath, settings, inputs, rows, duration, round, overheads);
                    if (!noOpOnly)
                    {
                        await RunModelAsync(pod, dlrmPath, settings, inputs, rows, threads, duration, round, ratios, overheads, pooled);
                    }
                }
            }
        }
        foreach (var (key, values) in overheads.Where(o => o.Key.EndsWith("no-op", StringComparison.Ordinal)))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{key,-30} pod CPU per request (the engine's share is nil): mean {values.Average():F1} us (runs {string.Join(", ", values.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)))})"));
        }
        foreach (var (key, values) in ratios)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{key,-24} pod / engine rows/CPU-s: mean {values.Average():F2}x (runs {string.Join(", ", values.Select(v => v.ToString("F2", CultureInfo.InvariantCulture)))}); "
                + $"pod CPU beyond the engine's: mean {overheads[key].Average():F1} us/request"));
        }
        // One slow engine slice moves its own pod's ratio by 0.05 (bench/README, ninth session); the pods' CPU is steadier.
        // Against the median of every engine slice of the run at that size, builds are compared on their own CPU alone.
        foreach (var line in pooled.Lines())
        {
            Console.WriteLine(line);
        }
    }

    /// <summary>The dlrm-small pod, each protocol's run interleaved with raw-engine slices on the batch size that run formed.</summary>
    private static async Task RunModelAsync(PodBuild pod, string dlrmPath, string[] settings, IReadOnlyList<NamedTensor> inputs, int rows, int threads,
        TimeSpan duration, int round, Dictionary<string, List<double>> ratios, Dictionary<string, List<double>> overheads, PooledEngineCost pooled)
    {
        var label = pod.Label;
        LoadResult EngineSlice(int batch, TimeSpan length) => EngineBaseline.Run($"engine batch {batch}", dlrmPath,
            ReferenceModelCatalog.Create("dlrm-small").CreateInputs(Math.Max(1, batch), new DeterministicRandom(1)), threads, length);
        await foreach (var run in RunProtocolsAsync(pod, dlrmPath, settings, inputs, rows, duration, EngineSlice))
        {
            var (protocol, warmSeconds, load, podCpu, batch, engine) = (run.Protocol, run.WarmSeconds, run.Load, run.PodCpuSeconds, run.Batch, run.Engine!);
            var podUsPerRequest = podCpu / Math.Max(1, load.Completed) * 1e6;
            var engineUsPerRequest = engine.CpuSeconds / Math.Max(1, engine.Rows) * rows * 1e6;
            var ratio = load.Rows / podCpu / engine.RowsPerCpuSecond;
            var key = $"{label} {rows,3} rows {protocol}";
            (ratios.TryGetValue(key, out var r) ? r : ratios[key] = []).Add(ratio);
            (overheads.TryGetValue(key, out var o) ? o : overheads[key] = []).Add(podUsPerRequest - engineUsPerRequest);
            pooled.Add(key, rows, podCpu / Math.Max(1, load.Rows), engine.CpuSeconds / Math.Max(1, engine.Rows));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  round {round} {key,-24} warm-up {warmSeconds,2} s, JIT in run {run.JitMethods,4} methods {run.JitSeconds * 1e3,5:F0} ms  "
                + $"{load.RequestsPerSecond,7:F0} req/s  batch {batch,4}  pod CPU {podUsPerRequest,7:F1} us/req "
                + $"(engine {engineUsPerRequest,7:F1}, rest {podUsPerRequest - engineUsPerRequest,6:F1})  {run.SwitchesPerRequest,4:F1} switches {run.WorkItemsPerRequest,4:F1} work items/req  load generator {(load.CpuSeconds / Math.Max(1, load.Completed) * 1e6),6:F1} us/req  "
                + $"pod rows/CPU-s {load.Rows / podCpu,8:F0} vs engine {engine.RowsPerCpuSecond,8:F0} = {ratio:F2}x  failed {load.Failed}"));
        }
    }
}

/// <summary>One `recop` build measured in (p): its label, its recop.dll and the environment its pods get.</summary>
internal sealed record PodBuild(string Label, string RecopDll, IReadOnlyList<KeyValuePair<string, string>> Environment);
