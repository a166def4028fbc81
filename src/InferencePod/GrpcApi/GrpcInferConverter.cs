using System.Runtime.InteropServices;
using Google.Protobuf;
using RecOperator.InferencePod.Grpc.V2;
using RecOperator.InferencePod.Protocol;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.GrpcApi;

/// <summary>Converts ModelInfer messages to the shared request/response records (typed contents or raw_input_contents).</summary>
internal static class GrpcInferConverter
{
    public static InferRequest ToRequest(ModelInferRequest message)
    {
        CheckCounts(message.Inputs.Count, message.RawInputContents.Count);
        var raw = message.RawInputContents.Count > 0;
        var tensors = new InferTensor[message.Inputs.Count];
        for (var i = 0; i < tensors.Length; i++)
        {
            var input = message.Inputs[i];
            var (name, type) = Check(i, input.Name, Datatypes.Parse(input.Datatype), input.Datatype);
            var shape = input.Shape.ToArray();
            ReadOnlyMemory<byte> data = raw ? message.RawInputContents[i].Memory : FromContents(name, type, input.Contents, shape);
            tensors[i] = new InferTensor(name, type, shape, data);
        }
        var outputs = new string[message.Outputs.Count];
        for (var o = 0; o < outputs.Length; o++)
        {
            outputs[o] = message.Outputs[o].Name;
        }
        return new InferRequest(message.Id, tensors, outputs, NoBinaryOutputs);
    }

    /// <summary>The same request and the same checks for a message read by <see cref="ModelInferReader"/> (raw contents only).</summary>
    public static InferRequest ToRequest(ModelInferMessage message)
    {
        CheckCounts(message.Inputs.Length, message.RawCount);
        var tensors = new InferTensor[message.Inputs.Length];
        for (var i = 0; i < tensors.Length; i++)
        {
            var input = message.Inputs[i];
            var (name, type) = Check(i, input.Name, input.ElementType, input.UnsupportedDatatype);
            tensors[i] = new InferTensor(name, type, input.Shape, input.Data);
        }
        return new InferRequest(message.Id, tensors, message.Outputs, NoBinaryOutputs);
    }

    /// <summary>gRPC has no binary-output extension (every answer is raw or typed as a whole): one shared empty set.</summary>
    private static readonly IReadOnlySet<string> NoBinaryOutputs = System.Collections.Frozen.FrozenSet<string>.Empty;

    private static void CheckCounts(int inputs, int raw)
    {
        if (inputs == 0)
        {
            throw InferException.Invalid("inputs must hold at least one tensor");
        }
        if (raw > 0 && raw != inputs)
        {
            throw InferException.Invalid($"raw_input_contents has {raw} entries for {inputs} inputs; give one per input or none");
        }
    }

    private static (string Name, TensorElementType Type) Check(int index, string name, TensorElementType type, string? datatype)
    {
        if (name.Length == 0)
        {
            throw InferException.Invalid($"inputs[{index}].name is empty");
        }
        return type == TensorElementType.Undefined
            ? throw InferException.Invalid($"input '{name}': datatype '{datatype}' is not one of {Datatypes.Supported}")
            : (name, type);
    }

    public static ModelInferResponse ToResponse(InferResponse response, bool raw)
    {
        var message = new ModelInferResponse { ModelName = response.ModelName, ModelVersion = response.ModelVersion, Id = response.Id };
        foreach (var output in response.Outputs)
        {
            var tensor = new ModelInferResponse.Types.InferOutputTensor { Name = output.Name, Datatype = Datatypes.Name(output.ElementType) };
            tensor.Shape.AddRange(output.Shape);
            if (raw || output.ElementType == TensorElementType.Float16)
            {
                message.RawOutputContents.Add(UnsafeByteOperations.UnsafeWrap(output.Data)); // the array is this answer's own: no copy
            }
            else
            {
                tensor.Contents = ToContents(output);
            }
            message.Outputs.Add(tensor);
        }
        return message;
    }

    private static byte[] FromContents(string name, TensorElementType type, InferTensorContents? contents, long[] shape)
    {
        var count = TensorShapes.CheckedElementCount(name, shape, 1L << 28);
        contents ??= new InferTensorContents();
        byte[] bytes = type switch
        {
            TensorElementType.Float => Bytes<float>(contents.Fp32Contents),
            TensorElementType.Double => Bytes<double>(contents.Fp64Contents),
            TensorElementType.Int64 => Bytes<long>(contents.Int64Contents),
            TensorElementType.Int32 => Bytes<int>(contents.IntContents),
            TensorElementType.Int8 => contents.IntContents.Select(v => v is >= sbyte.MinValue and <= sbyte.MaxValue ? (byte)(sbyte)v : throw OutOfRange(name, v)).ToArray(),
            TensorElementType.UInt8 => contents.UintContents.Select(v => v <= byte.MaxValue ? (byte)v : throw OutOfRange(name, v)).ToArray(),
            TensorElementType.Bool => contents.BoolContents.Select(v => v ? (byte)1 : (byte)0).ToArray(),
            _ => throw InferException.Invalid($"input '{name}': {Datatypes.Name(type)} travels only in raw_input_contents"),
        };
        var got = bytes.Length / TensorElementTypes.SizeOf(type);
        return got == count ? bytes : throw InferException.Invalid($"input '{name}': its shape needs {count} values, contents has {got}");
    }

    private static byte[] Bytes<T>(IList<T> values) where T : unmanaged
    {
        var array = values as T[] ?? values.ToArray();
        return MemoryMarshal.AsBytes(array.AsSpan()).ToArray();
    }

    private static InferException OutOfRange(string name, long value) => InferException.Invalid($"input '{name}': value {value} is out of range for its datatype");

    private static InferTensorContents ToContents(InferTensor output)
    {
        var contents = new InferTensorContents();
        var data = output.Data.Span;
        switch (output.ElementType)
        {
            case TensorElementType.Float: contents.Fp32Contents.AddRange(MemoryMarshal.Cast<byte, float>(data).ToArray()); break;
            case TensorElementType.Double: contents.Fp64Contents.AddRange(MemoryMarshal.Cast<byte, double>(data).ToArray()); break;
            case TensorElementType.Int64: contents.Int64Contents.AddRange(MemoryMarshal.Cast<byte, long>(data).ToArray()); break;
            case TensorElementType.Int32: contents.IntContents.AddRange(MemoryMarshal.Cast<byte, int>(data).ToArray()); break;
            case TensorElementType.Int8: contents.IntContents.AddRange(MemoryMarshal.Cast<byte, sbyte>(data).ToArray().Select(v => (int)v)); break;
            case TensorElementType.UInt8: contents.UintContents.AddRange(data.ToArray().Select(v => (uint)v)); break;
            case TensorElementType.Bool: contents.BoolContents.AddRange(data.ToArray().Select(v => v != 0)); break;
            default: throw new NotSupportedException($"output '{output.Name}' has element type {output.ElementType}, which the pod does not serve");
        }
        return contents;
    }
}
