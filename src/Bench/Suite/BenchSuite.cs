using System.Diagnostics;
using RecOperator.Onnx;

namespace RecOperator.Bench.Suite;

/// <summary>
/// `recop bench`: every section in one run on this machine, each figure a ratio of two runs made side by side (these
/// machines are shared and noisy, so absolute numbers from different runs do not compare).
/// </summary>
public static class BenchSuite
{
    /// <param name="recopAssembly">recop.dll, which the operator section starts as `recop operator`.</param>
    public static async Task<BenchReport> RunAsync(BenchOptions options, string recopAssembly, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var folder = Directory.CreateTempSubdirectory("recop-bench-").FullName;
        var engine = OrtEngine.Create();
        var figures = new List<BenchFigure>();
        var notes = new List<string>
        {
            $"{engine.Description}; {Environment.ProcessorCount} cores; every pod and engine run uses {options.Threads} intra-op thread(s); the load generator runs in the same process and shares the cores.",
        };
        HeadlineFigures? headline = null;
        var total = Stopwatch.StartNew();
        try
        {
            if (options.Runs("headline"))
            {
                (headline, var headlineFigures) = await Section("headline", log, () => HeadlineBench.RunAsync(options, folder, engine, log, cancellationToken)).ConfigureAwait(false);
                figures.AddRange(headlineFigures);
            }
            if (options.Runs("components"))
            {
                figures.AddRange(await Section("components", log, () => ComponentBench.RunAsync(options, folder, engine, log, cancellationToken)).ConfigureAwait(false));
            }
            if (options.Runs("anchors"))
            {
                figures.AddRange(await Section("anchors", log, () => AnchorBench.RunAsync(options, folder, engine, log, cancellationToken)).ConfigureAwait(false));
            }
            if (options.Runs("autoscaler"))
            {
                figures.AddRange(await Section("autoscaler", log, () => AutoscalerBench.RunAsync(options, log, cancellationToken)).ConfigureAwait(false));
            }
            if (options.Runs("solver"))
            {
                figures.AddRange(await Section("solver", log, () => SolverBench.RunAsync(log, cancellationToken)).ConfigureAwait(false));
            }
            if (options.Runs("operator"))
            {
                figures.AddRange(await Section("operator", log, () => OperatorBench.RunAsync(options, recopAssembly, log, cancellationToken)).ConfigureAwait(false));
            }
            if (options.Runs("gpu"))
            {
                figures.AddRange(await Section("gpu", log, () => GpuSection.RunAsync(options, engine, log)).ConfigureAwait(false));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        notes.Add($"The run took {total.Elapsed.TotalMinutes:F1} min{(options.Quick ? " (--quick: shorter steps)" : "")}.");
        return new BenchReport
        {
            Date = DateTimeOffset.UtcNow, Machine = Machine(), Quick = options.Quick, Headline = headline, Figures = figures, Notes = notes,
        };
    }

    private static async Task<T> Section<T>(string name, TextWriter log, Func<Task<T>> run)
    {
        await log.WriteLineAsync($"[{name}]").ConfigureAwait(false);
        var stopwatch = Stopwatch.StartNew();
        var result = await run().ConfigureAwait(false);
        await log.WriteLineAsync($"[{name}] done in {stopwatch.Elapsed.TotalSeconds:F0} s").ConfigureAwait(false);
        return result;
    }

    private static string Machine()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{model ?? "unknown CPU"}, {Environment.ProcessorCount} cores, {Environment.OSVersion}";
    }
}
