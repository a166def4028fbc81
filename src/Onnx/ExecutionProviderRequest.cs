namespace RecOperator.Onnx;

/// <summary>
/// One execution provider to put in front of the CPU provider, by name: "CPU", "CUDA", "TensorRT", "OpenVINO", or any
/// name ORT's generic append call knows. <see cref="PluginLibraryPath"/> selects the plugin route: the library is
/// registered with the environment and the provider's devices are appended (the route for CUDA with the libraries
/// obtainable here, see docs GPU.md).
/// </summary>
public sealed record ExecutionProviderRequest(string Name)
{
    /// <summary>Provider options (e.g. "device_id" = "0").</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>Path of a plugin execution provider library (exports CreateEpFactories), or null.</summary>
    public string? PluginLibraryPath { get; init; }

    public static ExecutionProviderRequest Cpu { get; } = new("CPU");
}
