using System.Runtime.InteropServices;

namespace RecOperator.Onnx.Native;

/// <summary>Tensor shapes, tensor values over caller memory, run options and Run itself.</summary>
internal sealed unsafe partial class OrtApi
{
    public int ElementType(nint tensorInfo)
    {
        int type;
        Check(((delegate* unmanaged<nint, int*, nint>)Fn(OrtApiIndex.GetTensorElementType))(tensorInfo, &type));
        return type;
    }

    public long[] Dimensions(nint tensorInfo)
    {
        nuint rank;
        Check(((delegate* unmanaged<nint, nuint*, nint>)Fn(OrtApiIndex.GetDimensionsCount))(tensorInfo, &rank));
        var dims = new long[(int)rank];
        fixed (long* p = dims)
        {
            Check(((delegate* unmanaged<nint, long*, nuint, nint>)Fn(OrtApiIndex.GetDimensions))(tensorInfo, p, rank));
        }
        return dims;
    }

    /// <summary>Symbolic names of dimensions ("batch"), null where a dimension has none.</summary>
    public string?[] SymbolicDimensions(nint tensorInfo, int rank)
    {
        var pointers = stackalloc nint[Math.Max(rank, 1)];
        Check(((delegate* unmanaged<nint, nint*, nuint, nint>)Fn(OrtApiIndex.GetSymbolicDimensions))(tensorInfo, pointers, (nuint)rank));
        var names = new string?[rank];
        for (var i = 0; i < rank; i++)
        {
            var name = pointers[i] == 0 ? null : Marshal.PtrToStringUTF8(pointers[i]);
            names[i] = string.IsNullOrEmpty(name) ? null : name;
        }
        return names;
    }

    /// <summary>An owned <c>OrtTensorTypeAndShapeInfo*</c> of a value.</summary>
    public nint TypeAndShapeOf(nint value)
    {
        nint info;
        Check(((delegate* unmanaged<nint, nint*, nint>)Fn(OrtApiIndex.GetTensorTypeAndShape))(value, &info));
        return info;
    }

    public nint TensorData(nint value)
    {
        nint data;
        Check(((delegate* unmanaged<nint, nint*, nint>)Fn(OrtApiIndex.GetTensorMutableData))(value, &data));
        return data;
    }

    /// <summary>Wraps caller memory as a tensor without copying; the memory must stay pinned while the value lives.</summary>
    public nint CreateTensorOverMemory(nint memoryInfo, void* data, long byteLength, long* shape, int rank, int elementType)
    {
        nint value;
        Check(((delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)Fn(OrtApiIndex.CreateTensorWithDataAsOrtValue))(
            memoryInfo, data, (nuint)byteLength, shape, (nuint)rank, elementType, &value));
        return value;
    }

    public nint CreateRunOptions()
    {
        nint options;
        Check(((delegate* unmanaged<nint*, nint>)Fn(OrtApiIndex.CreateRunOptions))(&options));
        return options;
    }

    /// <summary>Asks every Run using these options to stop soon; safe to call from another thread.</summary>
    public void Terminate(nint runOptions) =>
        Check(((delegate* unmanaged<nint, nint>)Fn(OrtApiIndex.RunOptionsSetTerminate))(runOptions));

    public void ClearTerminate(nint runOptions) =>
        Check(((delegate* unmanaged<nint, nint>)Fn(OrtApiIndex.RunOptionsUnsetTerminate))(runOptions));

    /// <summary>Runs the session; returns the raw status so the caller can tell cancellation from failure.</summary>
    public nint Run(nint session, nint runOptions, nint* inputNames, nint* inputs, int inputCount,
        nint* outputNames, int outputCount, nint* outputs) =>
        ((delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)Fn(OrtApiIndex.Run))(
            session, runOptions, inputNames, inputs, (nuint)inputCount, outputNames, (nuint)outputCount, outputs);
}
