using System.Buffers;
using System.Text.Json;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Protocol;

/// <summary>
/// The client side of the REST protocol: an Open Inference Protocol v2 JSON request body from engine tensors. Used by
/// the demo's load generator, the benchmarks and the tests, so all of them send what a KServe v2 client sends.
/// </summary>
public static class InferRequestJson
{
    public static byte[] Utf8(IReadOnlyList<NamedTensor> inputs, string id = "")
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteStartArray("inputs");
            foreach (var (name, tensor) in inputs)
            {
                WriteTensor(writer, name, tensor);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteTensor(Utf8JsonWriter writer, string name, TensorBuffer tensor)
    {
        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.WriteString("datatype", tensor.ElementType switch
        {
            TensorElementType.Float => "FP32",
            TensorElementType.Int64 => "INT64",
            _ => throw new ArgumentException($"input '{name}': element type {tensor.ElementType} is not written by this client", nameof(tensor)),
        });
        writer.WriteStartArray("shape");
        foreach (var dim in tensor.Shape)
        {
            writer.WriteNumberValue(dim);
        }
        writer.WriteEndArray();
        writer.WriteStartArray("data");
        if (tensor is TensorBuffer<float> floats)
        {
            foreach (var v in floats.Span)
            {
                writer.WriteNumberValue(v);
            }
        }
        else
        {
            foreach (var v in ((TensorBuffer<long>)tensor).Span)
            {
                writer.WriteNumberValue(v);
            }
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
