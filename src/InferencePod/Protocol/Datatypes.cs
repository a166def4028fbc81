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

    public const string Supported = "BOOL, UINT8, INT8, INT32, INT64, FP16, FP32, FP64";
}
