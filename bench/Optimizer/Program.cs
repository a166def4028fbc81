using System.Globalization;
using RecOperator.Bench.Optimizer;
using RecOperator.ModelOptimizer.Fidelity;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.ModelOptimizer.Pruning;
using RecOperator.ModelOptimizer.Quantization;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.ModelOptimizer.Split;
using RecOperator.Onnx;

// recop optimizer benchmarks, one run each: int8-dynamic vs fp32 at batch 256, emb-int8 size, prune 30%, split vs
// unsplit at 500 candidates. Latency is per request on one intra-op thread (per core), after warm-up.
// Usage: dotnet run -c Release --project bench/Optimizer [-- --requests N]
var requests = args.Length == 2 && args[0] == "--requests" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
var engine = OrtEngine.Create();
var folder = Path.Combine(Path.GetTempPath(), "recop-bench-optimizer-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
Console.WriteLine($"{engine.Description}; {Environment.ProcessorCount} cores; {requests} requests per case, 1 intra-op thread");
// When and how busy: the records cite the run by its date, and latency on a shared machine depends on its load.
Console.WriteLine($"started {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, load average {LoadAverage()}");
try
{
    foreach (var name in new[] { "dlrm-v2", "user-candidate" })
    {
        var built = await ReferenceModelBuilder.BuildAsync(ReferenceModelCatalog.Create(name), Path.Combine(folder, name), engine, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"-- {name}: {built.Bytes:N0} bytes"));
        var batch256 = new FidelityOptions { Requests = requests, Candidates = 256 };
        var int8 = await RunAsync(new DynamicInt8Transform(), built.Path, batch256);
        Console.WriteLine(new BenchmarkCase($"{name} int8-dynamic vs fp32, batch 256", "", int8.Manifest.Fidelity!).Describe());
        var emb = await RunAsync(new EmbeddingInt8Transform(), built.Path, batch256);
        var fileRatio = (double)built.Bytes / emb.Manifest.SizeBytes;
        Console.WriteLine(new BenchmarkCase($"{name} emb-int8", string.Create(CultureInfo.InvariantCulture,
            $"tables {emb.Manifest.Summary["tableSizeRatio"]}x smaller, file {fileRatio:F2}x"), emb.Manifest.Fidelity!).Describe());
        var pruned = await RunAsync(new StructuredPruneTransform(0.3), built.Path, batch256);
        Console.WriteLine(new BenchmarkCase($"{name} prune 30%", string.Create(CultureInfo.InvariantCulture,
            $"dense FLOPs/row {pruned.Manifest.Summary["denseFlopsPerRowBefore"]} -> {pruned.Manifest.Summary["denseFlopsPerRowAfter"]}"), pruned.Manifest.Fidelity!).Describe());
        if (name == "user-candidate")
        {
            var split = await SplitPipeline.RunAsync(["user_dense", "user_history"], Options(built.Path, "split", new FidelityOptions { Requests = requests, Candidates = 500 }),
                engine, CancellationToken.None);
            Console.WriteLine(new BenchmarkCase($"{name} split vs unsplit, 500 candidates", $"user outputs {split.Manifest.Summary["userOutputs"]}", split.Manifest.Fidelity!).Describe());
        }
    }
}
finally
{
    Directory.Delete(folder, recursive: true);
}
Console.WriteLine($"finished {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, load average {LoadAverage()}");

async Task<PipelineResult> RunAsync(IModelTransform transform, string input, FidelityOptions fidelity) =>
    await OptimizationPipeline.RunAsync(transform, Options(input, transform.Name, fidelity), engine, CancellationToken.None);

PipelineOptions Options(string input, string name, FidelityOptions fidelity) =>
    new() { InputPath = input, OutputFolder = Path.Combine(Path.GetDirectoryName(input)!, name), Fidelity = fidelity };

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
