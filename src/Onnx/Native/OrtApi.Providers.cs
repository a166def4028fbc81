using System.Runtime.InteropServices;

namespace RecOperator.Onnx.Native;

/// <summary>Execution providers: the generic append, the CUDA and TensorRT V2 option APIs, and plugin providers.</summary>
internal sealed unsafe partial class OrtApi
{
    /// <summary>SessionOptionsAppendExecutionProvider: OpenVINO, QNN, XNNPACK, WebGPU ... by name with string options.</summary>
    public void AppendProvider(nint options, string name, NativeStringArray keys, NativeStringArray values)
    {
        fixed (byte* n = Utf8(name))
        {
            Check(((delegate* unmanaged<nint, byte*, nint*, nint*, nuint, nint>)Fn(OrtApiIndex.SessionOptionsAppendExecutionProvider))(
                options, n, keys.Pointer, values.Pointer, (nuint)keys.Count), $"execution provider '{name}'");
        }
    }

    /// <summary>CUDA through CreateCUDAProviderOptions / UpdateCUDAProviderOptions / SessionOptionsAppendExecutionProvider_CUDA_V2.</summary>
    public void AppendCudaV2(nint options, NativeStringArray keys, NativeStringArray values) =>
        AppendWithV2Options(options, keys, values, "CUDA", OrtApiIndex.CreateCudaProviderOptions,
            OrtApiIndex.UpdateCudaProviderOptions, OrtApiIndex.SessionOptionsAppendExecutionProviderCudaV2,
            OrtApiIndex.ReleaseCudaProviderOptions);

    /// <summary>TensorRT through the TensorRT V2 option functions.</summary>
    public void AppendTensorRtV2(nint options, NativeStringArray keys, NativeStringArray values) =>
        AppendWithV2Options(options, keys, values, "TensorRT", OrtApiIndex.CreateTensorRtProviderOptions,
            OrtApiIndex.UpdateTensorRtProviderOptions, OrtApiIndex.SessionOptionsAppendExecutionProviderTensorRtV2,
            OrtApiIndex.ReleaseTensorRtProviderOptions);

    private void AppendWithV2Options(nint options, NativeStringArray keys, NativeStringArray values, string provider,
        int create, int update, int append, int release)
    {
        nint providerOptions;
        Check(((delegate* unmanaged<nint*, nint>)Fn(create))(&providerOptions), $"execution provider '{provider}'");
        try
        {
            Check(((delegate* unmanaged<nint, nint*, nint*, nuint, nint>)Fn(update))(
                providerOptions, keys.Pointer, values.Pointer, (nuint)keys.Count), $"execution provider '{provider}' options");
            Check(((delegate* unmanaged<nint, nint, nint>)Fn(append))(options, providerOptions), $"execution provider '{provider}'");
        }
        finally
        {
            // The session options copy what they need; the option object is ours to free.
            ((delegate* unmanaged<nint, void>)Fn(release))(providerOptions);
        }
    }

    /// <summary>RegisterExecutionProviderLibrary: loads a plugin execution provider library into the environment.</summary>
    public void RegisterProviderLibrary(nint env, string registrationName, string path)
    {
        fixed (byte* name = Utf8(registrationName))
        fixed (byte* file = Utf8(path))
        {
            Check(((delegate* unmanaged<nint, byte*, byte*, nint>)Fn(OrtApiIndex.RegisterExecutionProviderLibrary))(env, name, file),
                $"cannot register execution provider library '{path}'");
        }
    }

    /// <summary>GetEpDevices: every (execution provider, device) pair the environment knows, with the provider's name.</summary>
    public IReadOnlyList<(nint Device, string ProviderName)> ProviderDevices(nint env)
    {
        nint* devices;
        nuint count;
        Check(((delegate* unmanaged<nint, nint**, nuint*, nint>)Fn(OrtApiIndex.GetEpDevices))(env, &devices, &count));
        var result = new (nint, string)[(int)count];
        var epName = (delegate* unmanaged<nint, nint>)Fn(OrtApiIndex.EpDeviceEpName);
        for (var i = 0; i < (int)count; i++)
        {
            result[i] = (devices[i], Marshal.PtrToStringUTF8(epName(devices[i])) ?? "");
        }
        return result;
    }

    /// <summary>SessionOptionsAppendExecutionProvider_V2 over devices from <see cref="ProviderDevices"/>.</summary>
    public void AppendProviderV2(nint options, nint env, ReadOnlySpan<nint> devices, NativeStringArray keys, NativeStringArray values, string provider)
    {
        fixed (nint* d = devices)
        {
            Check(((delegate* unmanaged<nint, nint, nint*, nuint, nint*, nint*, nuint, nint>)Fn(OrtApiIndex.SessionOptionsAppendExecutionProviderV2))(
                options, env, d, (nuint)devices.Length, keys.Pointer, values.Pointer, (nuint)keys.Count), $"execution provider '{provider}'");
        }
    }
}
