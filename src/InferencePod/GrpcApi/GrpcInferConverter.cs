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
        if (message.Inputs.Count == 0)
        {
            throw InferException.Invalid("inputs must hold at least one tensor");
        }
        var raw = message.RawInputContents.Count > 0;
        if (raw && message.RawInputContents.Count != message.Inputs.Count)
        {
            throw InferException.Invalid($"raw_input_contents has {message.RawInputContents.Count} entries for {message.Inputs.Count} inputs; give one per input or none");
        }
        var tensors = new List<InferTensor>(message.Inputs.Count);
        for (var i = 0; i < message.Inputs.Count; i++)
        {
            var input = message.Inputs[i];
            var name = input.Name.Length > 0 ? input.Name : throw InferException.Invalid($"inputs[{i}].name is empty");
            var type = Datatypes.Parse(input.Datatype);
            if (type == TensorElementType.Undefined)
            {
                throw InferException.Invalid($"input '{name}': datatype '{input.Datatype}' is not one of {Datatypes.Supported}");
            }
            var shape = input.Shape.ToArray();
            var data = raw ? message.RawInputContents[i].ToByteArray() : FromContents(name, type, input.Contents, shape);
            tensors.Add(new InferTensor(name, type, shape, data));
        }
        var outputs = message.Outputs.Select(o => o.Name).ToArray();
        return new InferRequest(message.Id, tensors, outputs, new HashSet<string>());
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
        var data = output.Data.AsSpan();
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
