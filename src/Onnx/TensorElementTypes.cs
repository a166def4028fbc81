namespace RecOperator.Onnx;

/// <summary>Maps CLR element types to ONNX element types and sizes.</summary>
public static class TensorElementTypes
{
    /// <summary>The ONNX element type of <typeparamref name="T"/>; throws for types ONNX tensors cannot hold here.</summary>
    public static TensorElementType Of<T>() where T : unmanaged => Cache<T>.Type;

    /// <summary>Bytes per element.</summary>
    public static int SizeOf(TensorElementType type) => type switch
    {
        TensorElementType.Float or TensorElementType.Int32 or TensorElementType.UInt32 => 4,
        TensorElementType.Int64 or TensorElementType.UInt64 or TensorElementType.Double => 8,
        TensorElementType.Float16 or TensorElementType.BFloat16 or TensorElementType.Int16 or TensorElementType.UInt16 => 2,
        TensorElementType.Int8 or TensorElementType.UInt8 or TensorElementType.Bool => 1,
        _ => throw new NotSupportedException($"tensor element type {type} has no fixed size"),
    };

    private static class Cache<T> where T : unmanaged
    {
        public static readonly TensorElementType Type = typeof(T) switch
        {
            var t when t == typeof(float) => TensorElementType.Float,
            var t when t == typeof(Half) => TensorElementType.Float16,
            var t when t == typeof(double) => TensorElementType.Double,
            var t when t == typeof(long) => TensorElementType.Int64,
            var t when t == typeof(int) => TensorElementType.Int32,
            var t when t == typeof(short) => TensorElementType.Int16,
            var t when t == typeof(sbyte) => TensorElementType.Int8,
            var t when t == typeof(byte) => TensorElementType.UInt8,
            var t when t == typeof(bool) => TensorElementType.Bool,
            var t when t == typeof(ulong) => TensorElementType.UInt64,
            var t when t == typeof(uint) => TensorElementType.UInt32,
            var t when t == typeof(ushort) => TensorElementType.UInt16,
            _ => TensorElementType.Undefined,
        };
    }
}
