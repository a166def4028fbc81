namespace RecOperator.Onnx.Native;

/// <summary>
/// Puts a requested execution provider into session options by the route that fits it: nothing for CPU; the plugin
/// route (RegisterExecutionProviderLibrary, GetEpDevices, AppendExecutionProvider_V2) when a library path is given, a
/// plugin already offers the provider, or the provider's plugin library lies next to the loaded core (the npm GPU
/// packages' layout, docs GPU.md); the CUDA and TensorRT V2 option APIs of official GPU builds; the generic append
/// call for the rest. A provider the loaded engine lacks gets an error that lists what it has and what to do.
/// </summary>
internal static class ExecutionProviderAppender
{
    public static void Append(OrtEnvironment environment, nint options, ExecutionProviderRequest request)
    {
        var api = environment.Api;
        var providerName = CanonicalName(request.Name);
        if (providerName == "CPUExecutionProvider")
        {
            return;
        }
        var built = api.AvailableProviders();
        var plugin = request.PluginLibraryPath;
        if (plugin is null && !built.Contains(providerName) && PluginLibraryNextTo(api.LibraryPath, providerName) is { } besideCore && File.Exists(besideCore))
        {
            plugin = besideCore;
        }
        if (plugin is not null)
        {
            Register(environment, request, plugin);
        }
        var env = environment.Env.DangerousGetHandle();
        var device = SelectDevice(api.ProviderDevices(env), providerName, request.Options, out var deviceOptions);
        if (device is { } chosen)
        {
            using var deviceKeys = new NativeStringArray([.. deviceOptions.Keys]);
            using var deviceValues = new NativeStringArray([.. deviceOptions.Values]);
            api.AppendProviderV2(options, env, [chosen], deviceKeys, deviceValues, request.Name);
            return;
        }
        using var keys = new NativeStringArray([.. request.Options.Keys]);
        using var values = new NativeStringArray([.. request.Options.Values]);
        if (plugin is not null)
        {
            throw Unavailable(api, request, $"the plugin library '{plugin}' offers no device for {providerName} " +
                "(no GPU visible to this process? check nvidia-smi, the driver and NVIDIA_VISIBLE_DEVICES)");
        }
        try
        {
            switch (providerName)
            {
                case "CUDAExecutionProvider" when built.Contains(providerName):
                    api.AppendCudaV2(options, keys, values);
                    return;
                case "TensorrtExecutionProvider" when built.Contains(providerName):
                    api.AppendTensorRtV2(options, keys, values);
                    return;
                case "CUDAExecutionProvider" or "TensorrtExecutionProvider":
                    throw Unavailable(api, request, "it is not part of this build");
                default:
                    api.AppendProvider(options, request.Name, keys, values);
                    return;
            }
        }
        catch (OrtException error)
        {
            throw Unavailable(api, request, error.OrtMessage, error);
        }
    }

    /// <summary>
    /// The device a plugin route appends: the one at "device_id" among the provider's devices (default the first).
    /// "device_id" chooses the device here, so it is not passed on as a provider option.
    /// </summary>
    public static nint? SelectDevice(IReadOnlyList<(nint Device, string ProviderName)> devices, string providerName,
        IReadOnlyDictionary<string, string> options, out IReadOnlyDictionary<string, string> remainingOptions)
    {
        var matching = devices.Where(d => d.ProviderName == providerName).Select(d => d.Device).ToArray();
        remainingOptions = options.Where(o => o.Key != "device_id").ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
        if (matching.Length == 0)
        {
            return null;
        }
        if (!options.TryGetValue("device_id", out var text))
        {
            return matching[0];
        }
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) || index >= matching.Length)
        {
            throw new ExecutionProviderException(providerName,
                $"execution provider '{providerName}': device_id '{text}' does not name one of its {matching.Length} device(s)");
        }
        return matching[index];
    }

    /// <summary>
    /// Where a plugin library for the provider would lie beside the core library: <c>libonnxruntime_providers_cuda.so</c>
    /// for CUDA. Null when the core was found by a bare name (its folder is unknown).
    /// </summary>
    public static string? PluginLibraryNextTo(string coreLibraryPath, string providerName)
    {
        var folder = Path.IsPathRooted(coreLibraryPath) ? Path.GetDirectoryName(coreLibraryPath) : null;
        if (folder is null)
        {
            return null;
        }
        var shortName = CanonicalName(providerName).Replace("ExecutionProvider", "", StringComparison.Ordinal).ToLowerInvariant();
        return Path.Combine(folder, $"libonnxruntime_providers_{shortName}.so");
    }

    private static void Register(OrtEnvironment environment, ExecutionProviderRequest request, string plugin)
    {
        try
        {
            environment.RegisterPluginLibrary(request.Name, plugin);
        }
        catch (OrtException error)
        {
            // Typically the dynamic loader's message: a CUDA library (libcublas.so.13 ...) missing on this host.
            throw Unavailable(environment.Api, request, $"its plugin library '{plugin}' did not load: {error.OrtMessage}", error);
        }
    }

    /// <summary>ORT's registered name for a short provider name ("CUDA" → "CUDAExecutionProvider").</summary>
    public static string CanonicalName(string name) => name.Trim().ToUpperInvariant() switch
    {
        "CPU" or "CPUEXECUTIONPROVIDER" => "CPUExecutionProvider",
        "CUDA" or "CUDAEXECUTIONPROVIDER" => "CUDAExecutionProvider",
        "TENSORRT" or "TENSORRTEXECUTIONPROVIDER" => "TensorrtExecutionProvider",
        "OPENVINO" or "OPENVINOEXECUTIONPROVIDER" => "OpenVINOExecutionProvider",
        "DML" or "DMLEXECUTIONPROVIDER" => "DmlExecutionProvider",
        "QNN" or "QNNEXECUTIONPROVIDER" => "QNNExecutionProvider",
        "XNNPACK" or "XNNPACKEXECUTIONPROVIDER" => "XnnpackExecutionProvider",
        "ROCM" or "ROCMEXECUTIONPROVIDER" => "ROCMExecutionProvider",
        "MIGRAPHX" or "MIGRAPHXEXECUTIONPROVIDER" => "MIGraphXExecutionProvider",
        "COREML" or "COREMLEXECUTIONPROVIDER" => "CoreMLExecutionProvider",
        "WEBGPU" or "WEBGPUEXECUTIONPROVIDER" => "WebGpuExecutionProvider",
        _ => name.EndsWith("ExecutionProvider", StringComparison.Ordinal) ? name : name + "ExecutionProvider",
    };

    private static ExecutionProviderException Unavailable(OrtApi api, ExecutionProviderRequest request, string reason, Exception? inner = null) =>
        new(request.Name,
            $"execution provider '{request.Name}' is not available in the loaded ONNX Runtime {api.Version}: {reason}. " +
            $"It has: {string.Join(", ", api.AvailableProviders())}. For CUDA, install the GPU libraries " +
            "(`bash scripts/setup-onnxruntime.sh --gpu`) and point ORT_LIBRARY_PATH at .native/onnxruntime-gpu, use an ONNX " +
            "Runtime GPU build, or give the provider's plugin library; see docs/gpu.md.", inner);
}
