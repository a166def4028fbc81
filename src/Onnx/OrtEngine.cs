using RecOperator.Onnx.Native;

namespace RecOperator.Onnx;

/// <summary>The ONNX Runtime engine through the project's own C API binding.</summary>
public sealed class OrtEngine : IInferenceEngine
{
    private readonly OrtEnvironment _environment;

    private OrtEngine(OrtEnvironment environment) => _environment = environment;

    /// <summary>
    /// Loads the native library (ORT_LIBRARY_PATH, the app folder, then the system paths) on first use;
    /// throws <see cref="OrtLibraryNotFoundException"/> with the install command when it is missing.
    /// </summary>
    public static OrtEngine Create() => new(OrtEnvironment.Instance);

    public string Description => $"ONNX Runtime {_environment.Api.Version}";

    /// <summary>Execution providers compiled into the loaded library.</summary>
    public IReadOnlyList<string> BuiltInProviders => _environment.Api.AvailableProviders();

    /// <summary>Execution providers with a device in the environment (built-in and registered plugins).</summary>
    public IReadOnlyList<string> ProviderDevices =>
        _environment.Api.ProviderDevices(_environment.Env.DangerousGetHandle()).Select(d => d.ProviderName).ToArray();

    /// <summary>The library's build description (compiler, commit).</summary>
    public string BuildInfo => _environment.Api.BuildInfo();

    public IInferenceSession Load(string modelPath, InferenceSessionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"ONNX model '{modelPath}' does not exist", modelPath);
        }
        if (new FileInfo(modelPath).Length == 0)
        {
            throw new InvalidDataException($"ONNX model '{modelPath}' is empty (0 bytes): not an ONNX model");
        }
        using var sessionOptions = CreateOptions(options ?? InferenceSessionOptions.Default);
        var handle = new OrtSessionHandle(_environment.Api.CreateSession(
            _environment.Env.DangerousGetHandle(), modelPath, sessionOptions.DangerousGetHandle()));
        return new OrtSession(_environment, handle);
    }

    public IInferenceSession Load(ReadOnlySpan<byte> model, InferenceSessionOptions? options = null)
    {
        if (model.IsEmpty)
        {
            throw new InvalidDataException("the ONNX model is empty (0 bytes)");
        }
        using var sessionOptions = CreateOptions(options ?? InferenceSessionOptions.Default);
        var handle = new OrtSessionHandle(_environment.Api.CreateSessionFromBytes(
            _environment.Env.DangerousGetHandle(), model, sessionOptions.DangerousGetHandle()));
        return new OrtSession(_environment, handle);
    }

    private OrtSessionOptionsHandle CreateOptions(InferenceSessionOptions options)
    {
        options.Validate();
        var api = _environment.Api;
        var handle = new OrtSessionOptionsHandle(api.CreateSessionOptions());
        try
        {
            var raw = handle.DangerousGetHandle();
            api.SetIntraOpThreads(raw, options.IntraOpThreads);
            api.SetInterOpThreads(raw, options.InterOpThreads);
            api.SetGraphOptimizationLevel(raw, (int)options.GraphOptimization);
            api.SetExecutionMode(raw, (int)options.ExecutionMode);
            api.SetCpuMemArena(raw, options.EnableCpuMemoryArena);
            foreach (var provider in options.ExecutionProviders)
            {
                ExecutionProviderAppender.Append(_environment, raw, provider);
            }
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
