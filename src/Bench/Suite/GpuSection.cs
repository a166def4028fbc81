using Google.Protobuf;
using RecOperator.Bench.Gpu;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;

namespace RecOperator.Bench.Suite;

/// <summary>
/// The GPU figures where the loaded ONNX Runtime can put a session on CUDA (docs/gpu.md); elsewhere one line that says
/// why they were not measured.
/// </summary>
public static class GpuSection
{
    public static async Task<IReadOnlyList<BenchFigure>> RunAsync(BenchOptions options, IInferenceEngine engine, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(log);
        if (CudaUnavailableReason(engine) is { } reason)
        {
            await log.WriteLineAsync($"  not measured on this host: {reason}").ConfigureAwait(false);
            return [new("gpu", "GPU figures", double.NaN, "", $"not measured on this host: {reason}")];
        }
        await GpuScenarios.RunAsync(options.RunDuration, Math.Max(1, Environment.ProcessorCount / 2), 2000, "Cuda", modelsFolder: null).ConfigureAwait(false);
        return [new("gpu", "GPU figures", double.NaN, "", "measured: printed in the run's output (sections g1 to g5)")];
    }

    /// <summary>Null when a session loads on CUDA; else the engine's reason, on one line and cut short (ORT's own can be long).</summary>
    public static string? CudaUnavailableReason(IInferenceEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var graph = new OnnxGraphBuilder("probe").Input("x", TensorElementType.Float, "batch", 4).Output("y", TensorElementType.Float, "batch", 4);
        graph.NodeNamed("Identity", "y", ["x"]);
        try
        {
            using var session = engine.Load(graph.Build("probe").ToByteArray(), new InferenceSessionOptions { ExecutionProviders = [new ExecutionProviderRequest("Cuda")] });
            return null;
        }
        catch (Exception failure) when (failure is ExecutionProviderException or OrtException)
        {
            var line = string.Join(' ', failure.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            return line.Length <= 240 ? line : line[..240] + "…";
        }
    }
}
