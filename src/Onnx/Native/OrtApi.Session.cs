namespace RecOperator.Onnx.Native;

/// <summary>Session options, sessions and their input/output metadata.</summary>
internal sealed unsafe partial class OrtApi
{
    public nint CreateSessionOptions()
    {
        nint options;
        Check(((delegate* unmanaged<nint*, nint>)Fn(OrtApiIndex.CreateSessionOptions))(&options));
        return options;
    }

    public void SetIntraOpThreads(nint options, int threads) =>
        Check(((delegate* unmanaged<nint, int, nint>)Fn(OrtApiIndex.SetIntraOpNumThreads))(options, threads), "intra-op threads");

    public void SetInterOpThreads(nint options, int threads) =>
        Check(((delegate* unmanaged<nint, int, nint>)Fn(OrtApiIndex.SetInterOpNumThreads))(options, threads), "inter-op threads");

    public void SetGraphOptimizationLevel(nint options, int level) =>
        Check(((delegate* unmanaged<nint, int, nint>)Fn(OrtApiIndex.SetSessionGraphOptimizationLevel))(options, level), "graph optimization level");

    public void SetExecutionMode(nint options, int mode) =>
        Check(((delegate* unmanaged<nint, int, nint>)Fn(OrtApiIndex.SetSessionExecutionMode))(options, mode), "execution mode");

    public void SetCpuMemArena(nint options, bool enabled) =>
        Check(((delegate* unmanaged<nint, nint>)Fn(enabled ? OrtApiIndex.EnableCpuMemArena : OrtApiIndex.DisableCpuMemArena))(options), "cpu memory arena");

    public nint CreateSession(nint env, string modelPath, nint options)
    {
        nint session;
        fixed (byte* path = Utf8(modelPath))
        {
            Check(((delegate* unmanaged<nint, byte*, nint, nint*, nint>)Fn(OrtApiIndex.CreateSession))(env, path, options, &session),
                $"cannot load ONNX model '{modelPath}'");
        }
        return session;
    }

    public nint CreateSessionFromBytes(nint env, ReadOnlySpan<byte> model, nint options)
    {
        nint session;
        fixed (byte* data = model)
        {
            Check(((delegate* unmanaged<nint, byte*, nuint, nint, nint*, nint>)Fn(OrtApiIndex.CreateSessionFromArray))(
                env, data, (nuint)model.Length, options, &session), $"cannot load ONNX model from {model.Length} bytes");
        }
        return session;
    }

    public int InputCount(nint session)
    {
        nuint count;
        Check(((delegate* unmanaged<nint, nuint*, nint>)Fn(OrtApiIndex.SessionGetInputCount))(session, &count));
        return (int)count;
    }

    public int OutputCount(nint session)
    {
        nuint count;
        Check(((delegate* unmanaged<nint, nuint*, nint>)Fn(OrtApiIndex.SessionGetOutputCount))(session, &count));
        return (int)count;
    }

    public string InputName(nint session, int index, nint allocator)
    {
        nint name;
        Check(((delegate* unmanaged<nint, nuint, nint, nint*, nint>)Fn(OrtApiIndex.SessionGetInputName))(session, (nuint)index, allocator, &name));
        return TakeAllocatedString(allocator, name);
    }

    public string OutputName(nint session, int index, nint allocator)
    {
        nint name;
        Check(((delegate* unmanaged<nint, nuint, nint, nint*, nint>)Fn(OrtApiIndex.SessionGetOutputName))(session, (nuint)index, allocator, &name));
        return TakeAllocatedString(allocator, name);
    }

    /// <summary>An owned <c>OrtTypeInfo*</c>; release it with <see cref="OrtApiIndex.ReleaseTypeInfo"/>.</summary>
    public nint TypeInfo(nint session, int index, bool input)
    {
        nint info;
        var fn = (delegate* unmanaged<nint, nuint, nint*, nint>)Fn(input ? OrtApiIndex.SessionGetInputTypeInfo : OrtApiIndex.SessionGetOutputTypeInfo);
        Check(fn(session, (nuint)index, &info));
        return info;
    }

    /// <summary>ONNXType of a type info (1 = tensor).</summary>
    public int OnnxType(nint typeInfo)
    {
        int type;
        Check(((delegate* unmanaged<nint, int*, nint>)Fn(OrtApiIndex.GetOnnxTypeFromTypeInfo))(typeInfo, &type));
        return type;
    }

    /// <summary>The tensor part of a type info; it belongs to the type info and is not released separately.</summary>
    public nint TensorInfoOf(nint typeInfo)
    {
        nint tensorInfo;
        Check(((delegate* unmanaged<nint, nint*, nint>)Fn(OrtApiIndex.CastTypeInfoToTensorInfo))(typeInfo, &tensorInfo));
        return tensorInfo;
    }
}
