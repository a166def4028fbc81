using RecOperator.Onnx;

namespace RecOperator.InferencePod.Protocol;

/// <summary>
/// The bytes after the JSON part of a REST body (binary tensor data extension), handed out in input order. Inputs are
/// slices of the body, not copies: the caller keeps the body until the request is answered.
/// </summary>
internal sealed class RestBinarySection(ReadOnlyMemory<byte> bytes)
{
    private int taken;

    public ReadOnlyMemory<byte> Take(string tensor, TensorElementType type, long[] shape, RestBinaryInput input)
    {
        var left = bytes.Length - taken;
        if (input.ByteCount < 0 || input.ByteCount > left)
        {
            throw InferException.Invalid($"input '{tensor}': binary_data_size {input.Text ?? input.ByteCount.ToString(System.Globalization.CultureInfo.InvariantCulture)} does not fit the {left} binary bytes left");
        }
        // Refuse absurd shapes before anything sizes a buffer from them; whether the bytes match the shape is the
        // RequestPreparer's check, the same as for gRPC raw contents.
        TensorShapes.CheckedElementCount(tensor, shape, bytes.Length / Math.Max(TensorElementTypes.SizeOf(type), 1) + 1,
            $"the request's {bytes.Length} binary bytes can carry");
        var data = bytes.Slice(taken, input.ByteCount);
        taken += input.ByteCount;
        return data;
    }

    /// <summary>Bytes no input claimed mean the client and the pod disagree about the layout: refuse rather than guess.</summary>
    public void CheckAllTaken()
    {
        if (taken != bytes.Length)
        {
            throw InferException.Invalid($"the binary section has {bytes.Length} bytes but the inputs' binary_data_size add up to {taken}");
        }
    }
}
