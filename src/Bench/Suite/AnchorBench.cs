using RecOperator.Bench.Anchors;
using RecOperator.Bench.Load;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.ModelOptimizer.Pruning;
using RecOperator.ModelOptimizer.Quantization;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;

namespace RecOperator.Bench.Suite;

/// <summary>
/// Where our per-core figures stand: dlrm-v2's scored pairs per second per core (fp32 and int8, raw engine, one
/// thread) against this CPU's arithmetic peak (the roofline, from the model's FLOPs per pair) and against the public
/// MLPerf DLRM-v2 CPU result.
/// </summary>
public static class AnchorBench
{
    // MLPerf Inference DLRM-v2 on CPU: about 4,500 samples/s per 64-core socket, each sample 100 to 700 pairs.
    private const double MlperfSamplesPerSocket = 4500;
    private const int MlperfCoresPerSocket = 64;

    public static async Task<IReadOnlyList<BenchFigure>> RunAsync(BenchOptions options, string folder, IInferenceEngine engine, TextWriter log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var v2 = ReferenceModelCatalog.Create("dlrm-v2");
        var fp32 = await ReferenceModelBuilder.BuildAsync(v2, folder, engine, cancellationToken).ConfigureAwait(false);
        var int8 = await OptimizationPipeline.RunAsync(new DynamicInt8Transform(),
            new PipelineOptions { InputPath = fp32.Path, OutputFolder = Path.Combine(folder, "v2-int8") }, engine, cancellationToken).ConfigureAwait(false);
        var flopsPerPair = StructuredPruneTransform.Cost(OnnxModelFiles.Read(fp32.Path, loadExternalData: false).Graph).FlopsPerRow;
        var peak = CpuPeak.FromCpuInfo(File.Exists("/proc/cpuinfo") ? await File.ReadAllTextAsync("/proc/cpuinfo", cancellationToken).ConfigureAwait(false) : "");
        var inputs = v2.CreateInputs(256, new DeterministicRandom(9));
        var engineFp32 = EngineBaseline.Run("dlrm-v2 fp32, batch 256, 1 thread", fp32.Path, inputs, 1, options.RunDuration);
        var engineInt8 = EngineBaseline.Run("dlrm-v2 int8, batch 256, 1 thread", int8.ModelPath, inputs, 1, options.RunDuration);
        await log.WriteLineAsync("  " + engineFp32.Line()).ConfigureAwait(false);
        await log.WriteLineAsync("  " + engineInt8.Line()).ConfigureAwait(false);
        var mlperfLow = MlperfSamplesPerSocket * 100 / MlperfCoresPerSocket;
        var mlperfHigh = MlperfSamplesPerSocket * 700 / MlperfCoresPerSocket;
        // /proc/cpuinfo gives the nominal clock; a core that boosts above it shows more than 100% of this "peak".
        var cpu = $"{peak.Model}, {peak.Ghz:F2} GHz nominal, {peak.Isa}, 2 FMA ports assumed";
        return
        [
            new("anchors", "dlrm-v2 fp32 pairs/s per core", engineFp32.RowsPerCpuSecond, "pairs/s",
                $"{flopsPerPair / 1e6:F2} MFLOP per pair (dense layers); {engineFp32.RowsPerCpuSecond * flopsPerPair / 1e9:F1} GFLOP/s = " +
                $"{Fraction(engineFp32.RowsPerCpuSecond * flopsPerPair / 1e9, peak.Fp32GflopsPerCore)} of the fp32 peak {peak.Fp32GflopsPerCore:F0} GFLOP/s ({cpu})"),
            new("anchors", "dlrm-v2 int8 pairs/s per core", engineInt8.RowsPerCpuSecond, "pairs/s",
                $"{engineInt8.RowsPerCpuSecond * flopsPerPair / 1e9:F1} Gop/s = {Fraction(engineInt8.RowsPerCpuSecond * flopsPerPair / 1e9, peak.Int8GopsPerCore)} " +
                $"of the int8 peak {peak.Int8GopsPerCore:F0} Gop/s"),
            new("anchors", "MLPerf DLRM-v2 CPU, pairs/s per core (public result)", (mlperfLow + mlperfHigh) / 2, "pairs/s",
                $"{mlperfLow:F0} to {mlperfHigh:F0}: about {MlperfSamplesPerSocket:F0} samples/s per {MlperfCoresPerSocket}-core socket, 100 to 700 pairs per " +
                "sample; their tables are the full Criteo 1TB ones (memory-bound lookups), ours 10,000 rows, so this is a scale, not a race"),
        ];
    }

    private static string Fraction(double achieved, double peak) => peak > 0 ? $"{achieved / peak:P0}" : "n/a (no clock in /proc/cpuinfo)";
}
