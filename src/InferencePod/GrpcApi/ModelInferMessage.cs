using RecOperator.Onnx;

namespace RecOperator.InferencePod.GrpcApi;

/// <summary>A ModelInferRequest as <see cref="ModelInferReader"/> read it from the wire, before the converter checks it.</summary>
/// <param name="Inputs">In message order; each one's data is its raw_input_contents entry (a slice of the message).</param>
/// <param name="Outputs">Names of the requested outputs.</param>
/// <param name="RawCount">Entries of raw_input_contents (may differ from the inputs' count: the converter refuses that).</param>
internal sealed record ModelInferMessage(string ModelName, string ModelVersion, string Id, ModelInferMessage.Input[] Inputs, string[] Outputs, int RawCount)
{
    /// <param name="UnsupportedDatatype">The datatype text when it is not one the pod serves (for the error), else null.</param>
    internal readonly record struct Input(string Name, TensorElementType ElementType, string? UnsupportedDatatype, long[] Shape, ReadOnlyMemory<byte> Data);
}
