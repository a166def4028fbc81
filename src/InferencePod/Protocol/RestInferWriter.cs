using System.Buffers;
using System.Text.Json;

namespace RecOperator.InferencePod.Protocol;

/// <summary>Writes a REST inference answer: JSON outputs, with binary outputs appended after the JSON when asked for.</summary>
public static class RestInferWriter
{
    /// <summary>Writes the JSON part; returns the tensors whose bytes follow it (in order).</summary>
    public static IReadOnlyList<InferTensor> WriteJson(IBufferWriter<byte> destination, InferResponse response, InferRequest request)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(request);
        var binary = new List<InferTensor>();
        using var writer = new Utf8JsonWriter(destination);
        writer.WriteStartObject();
        writer.WriteString("model_name", response.ModelName);
        writer.WriteString("model_version", response.ModelVersion);
        if (response.Id.Length > 0)
        {
            writer.WriteString("id", response.Id);
        }
        writer.WriteStartArray("outputs");
        foreach (var output in response.Outputs)
        {
            writer.WriteStartObject();
            writer.WriteString("name", output.Name);
            writer.WriteString("datatype", Datatypes.Name(output.ElementType));
            writer.WriteStartArray("shape");
            foreach (var dim in output.Shape)
            {
                writer.WriteNumberValue(dim);
            }
            writer.WriteEndArray();
            if (request.WantsBinary(output.Name))
            {
                writer.WriteStartObject("parameters");
                writer.WriteNumber("binary_data_size", output.Data.Length);
                writer.WriteEndObject();
                binary.Add(output);
            }
            else
            {
                writer.WritePropertyName("data");
                JsonTensorData.Write(writer, output);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        return binary;
    }
}
