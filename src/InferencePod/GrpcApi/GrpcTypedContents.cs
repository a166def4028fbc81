using System.Runtime.InteropServices;
using RecOperator.InferencePod.Grpc.V2;
using RecOperator.InferencePod.Protocol;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.GrpcApi;

/// <summary>
/// InferTensorContents, the typed alternative to raw contents: one repeated field per family of datatypes
/// (fp32_contents for FP32, int_contents for INT8 and INT32, ...), and none at all for some (FP16), which travel raw only.
/// </summary>
internal static class GrpcTypedContents
{
    /// <summary>The field that carries <paramref name="type"/>'s values, or null when the type has none.</summary>
    public static string? Field(TensorElementType type) => type switch
    {
        TensorElementType.Float => "fp32_contents",
        TensorElementType.Double => "fp64_contents",
        TensorElementType.Int64 => "int64_contents",
        TensorElementType.Int32 or TensorElementType.Int8 => "int_contents",
        TensorElementType.UInt8 => "uint_contents",
        TensorElementType.Bool => "bool_contents",
        _ => null,
    };

    /// <summary>An input's element bytes from its typed contents, checked against its shape.</summary>
    public static byte[] ToBytes(string name, TensorElementType type, InferTensorContents? contents, long[] shape)
    {
        var count = TensorShapes.CheckedElementCount(name, shape, 1L << 28, "typed contents may carry (2^28; larger inputs go in raw_input_contents)");
        var field = Field(type) ?? throw InferException.Invalid($"input '{name}': {Datatypes.Name(type)} travels only in raw_input_contents");
        contents ??= new InferTensorContents();
        if (OtherFieldWithValues(contents, field) is { } other)
        {
            throw InferException.Invalid(
                $"input '{name}' ({Datatypes.Name(type)}) has values in {other}; {Datatypes.Name(type)} values go in {field} (or raw_input_contents)");
        }
        byte[] bytes = type switch
        {
            TensorElementType.Float => Bytes<float>(contents.Fp32Contents),
            TensorElementType.Double => Bytes<double>(contents.Fp64Contents),
            TensorElementType.Int64 => Bytes<long>(contents.Int64Contents),
            TensorElementType.Int32 => Bytes<int>(contents.IntContents),
            TensorElementType.Int8 => contents.IntContents.Select(v => v is >= sbyte.MinValue and <= sbyte.MaxValue ? (byte)(sbyte)v : throw OutOfRange(name, v)).ToArray(),
            TensorElementType.UInt8 => contents.UintContents.Select(v => v <= byte.MaxValue ? (byte)v : throw OutOfRange(name, v)).ToArray(),
            TensorElementType.Bool => contents.BoolContents.Select(v => v ? (byte)1 : (byte)0).ToArray(),
            _ => throw new NotSupportedException($"{type} has typed contents field {field} but no conversion"),
        };
        var got = bytes.Length / TensorElementTypes.SizeOf(type);
        return got == count ? bytes : throw InferException.Invalid($"input '{name}': its shape needs {count} values, {field} has {got}");
    }

    /// <summary>An output's typed contents; only for types with a <see cref="Field"/>.</summary>
    public static InferTensorContents FromTensor(InferTensor output)
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
            default: throw new NotSupportedException($"output '{output.Name}' has element type {output.ElementType}, which has no typed contents field");
        }
        return contents;
    }

    /// <summary>
    /// A field other than <paramref name="field"/> that holds values: a client that put FP32 values in int64_contents
    /// is told so, rather than that its FP32 input has no values.
    /// </summary>
    private static string? OtherFieldWithValues(InferTensorContents contents, string field)
    {
        ReadOnlySpan<(string Field, int Count)> fields =
        [
            ("bool_contents", contents.BoolContents.Count),
            ("int_contents", contents.IntContents.Count),
            ("int64_contents", contents.Int64Contents.Count),
            ("uint_contents", contents.UintContents.Count),
            ("uint64_contents", contents.Uint64Contents.Count),
            ("fp32_contents", contents.Fp32Contents.Count),
            ("fp64_contents", contents.Fp64Contents.Count),
            ("bytes_contents", contents.BytesContents.Count),
        ];
        foreach (var (name, count) in fields)
        {
            if (count > 0 && name != field)
            {
                return name;
            }
        }
        return null;
    }

    private static byte[] Bytes<T>(IList<T> values) where T : unmanaged
    {
        var array = values as T[] ?? values.ToArray();
        return MemoryMarshal.AsBytes(array.AsSpan()).ToArray();
    }

    private static InferException OutOfRange(string name, long value) => InferException.Invalid($"input '{name}': value {value} is out of range for its datatype");
}
