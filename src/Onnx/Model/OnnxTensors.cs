using System.Runtime.InteropServices;
using Google.Protobuf;
using RecOperator.Onnx.Proto;

namespace RecOperator.Onnx.Model;

/// <summary>Builds and reads <see cref="TensorProto"/> initializers, stored as little-endian raw_data.</summary>
public static class OnnxTensors
{
    public static TensorProto Create<T>(string name, ReadOnlySpan<T> values, params long[] dims) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(dims);
        long count = 1;
        foreach (var d in dims)
        {
            count *= d;
        }
        if (count != values.Length)
        {
            throw new ArgumentException($"tensor '{name}': {values.Length} values do not fill dims [{string.Join(", ", dims)}]", nameof(values));
        }
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian; this writer runs on little-endian hosts only");
        }
        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)TensorElementTypes.Of<T>(),
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)),
        };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>The elements of a tensor whose data is in raw_data or in the typed repeated fields.</summary>
    public static T[] Read<T>(TensorProto tensor) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.DataType != (int)TensorElementTypes.Of<T>())
        {
            throw new InvalidDataException($"tensor '{tensor.Name}' holds data type {tensor.DataType}, not {TensorElementTypes.Of<T>()}");
        }
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new InvalidDataException($"tensor '{tensor.Name}' keeps its data in an external file; load it with {nameof(OnnxModelFiles)}.{nameof(OnnxModelFiles.Read)}");
        }
        if (tensor.HasRawData)
        {
            return MemoryMarshal.Cast<byte, T>(tensor.RawData.Span).ToArray();
        }
        return tensor switch
        {
            _ when typeof(T) == typeof(float) => (T[])(object)tensor.FloatData.ToArray(),
            _ when typeof(T) == typeof(long) => (T[])(object)tensor.Int64Data.ToArray(),
            _ when typeof(T) == typeof(int) => (T[])(object)tensor.Int32Data.ToArray(),
            _ when typeof(T) == typeof(double) => (T[])(object)tensor.DoubleData.ToArray(),
            _ => throw new NotSupportedException($"tensor '{tensor.Name}': reading {typeof(T).Name} from typed fields is not supported"),
        };
    }

    /// <summary>A value-info (graph input or output) with element type and dims.</summary>
    public static ValueInfoProto ValueInfo(string name, TensorElementType type, params Dim[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim.Param is null
                ? new TensorShapeProto.Types.Dimension { DimValue = dim.Value }
                : new TensorShapeProto.Types.Dimension { DimParam = dim.Param });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
