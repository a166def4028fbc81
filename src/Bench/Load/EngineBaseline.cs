using System.Diagnostics;
using RecOperator.Onnx;

namespace RecOperator.Bench.Load;

/// <summary>The raw engine on the same inputs, no server: the ceiling the pod is compared with.</summary>
public static class EngineBaseline
{
    public static LoadResult Run(string name, string modelPath, IReadOnlyList<NamedTensor> inputs, int threads, TimeSpan duration,
        IReadOnlyList<ExecutionProviderRequest>? providers = null)
    {
        using var session = OrtEngine.Create().Load(modelPath, new InferenceSessionOptions { IntraOpThreads = threads, ExecutionProviders = providers ?? [] });
        // Untimed first calls: CUDA allocates its arena and picks kernels on them.
        for (var i = 0; i < 3; i++)
        {
            foreach (var output in session.Run(inputs))
            {
                output.Tensor.Dispose();
            }
        }
        var rows = inputs.Max(i => i.Tensor.Shape.Length > 0 ? i.Tensor.Shape[0] : 1);
        var latencies = new List<double>();
        // One intra-op thread on the CPU: all the engine's work is this thread's. Otherwise the process's (its pool threads, a device).
        var ownThread = threads == 1 && (providers is null || providers.Count == 0) && ThreadCpuTime.Seconds() is not null;
        double Cpu() => ownThread ? ThreadCpuTime.Seconds()!.Value : LoadResult.ProcessCpuSeconds();
        var cpu = Cpu();
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < duration)
        {
            var start = Stopwatch.GetTimestamp();
            foreach (var output in session.Run(inputs))
            {
                output.Tensor.Dispose();
            }
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return new LoadResult(name, latencies.Count, 0, stopwatch.Elapsed, [.. latencies], latencies.Count * rows, Cpu() - cpu);
    }
}
