using RecOperator.Onnx;

namespace RecOperator.InferencePod.Protocol;

/// <summary>Open Inference Protocol datatype names ("FP32", "INT64", ...) and the engine's element types.</summary>
public static class Datatypes
{
    public static string Name(TensorElementType type) => type switch
    {
        TensorElementType.Bool => "BOOL",
        TensorElementType.UInt8 => "UINT8",
        TensorElementType.Int8 => "INT8",
        TensorElementType.Int32 => "INT32",
        TensorElementType.Int64 => "INT64",
        TensorElementType.Float16 => "FP16",
        TensorElementType.Float => "FP32",
        TensorElementType.Double => "FP64",
        // Not served (Parse refuses them), named as the protocol names them for messages.
        TensorElementType.UInt16 => "UINT16",
        TensorElementType.Int16 => "INT16",
        TensorElementType.UInt32 => "UINT32",
        TensorElementType.UInt64 => "UINT64",
        TensorElementType.BFloat16 => "BF16",
        TensorElementType.String => "BYTES",
        _ => type.ToString().ToUpperInvariant(),
    };

    /// <summary>The element type of a datatype name, or Undefined for names the pod does not serve.</summary>
    public static TensorElementType Parse(string? name) => name switch
    {
        "BOOL" => TensorElementType.Bool,
        "UINT8" => TensorElementType.UInt8,
        "INT8" => TensorElementType.Int8,
        "INT32" => TensorElementType.Int32,
        "INT64" => TensorElementType.Int64,
        "FP16" => TensorElementType.Float16,
        "FP32" => TensorElementType.Float,
        "FP64" => TensorElementType.Double,
        _ => TensorElementType.Undefined,
    };

    /// <summary><see cref="Parse(string?)"/> for the name's UTF-8 bytes, without making a string of them.</summary>
    public static TensorElementType Parse(ReadOnlySpan<byte> name) => name switch
    {
        _ when name.SequenceEqual("FP32"u8) => TensorElementType.Float,
        _ when name.SequenceEqual("INT64"u8) => TensorElementType.Int64,
        _ when name.SequenceEqual("INT32"u8) => TensorElementType.Int32,
        _ when name.SequenceEqual("FP16"u8) => TensorElementType.Float16,
        _ when name.SequenceEqual("FP64"u8) => TensorElementType.Double,
        _ when name.SequenceEqual("INT8"u8) => TensorElementType.Int8,
        _ when name.SequenceEqual("UINT8"u8) => TensorElementType.UInt8,
        _ when name.SequenceEqual("BOOL"u8) => TensorElementType.Bool,
        _ => TensorElementType.Undefined,
    };

    public const string Supported = "BOOL, UINT8, INT8, INT32, INT64, FP16, FP32, FP64";
}
