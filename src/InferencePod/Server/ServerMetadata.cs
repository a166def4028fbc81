using System.Text.Json;
using RecOperator.InferencePod.Model;
using RecOperator.InferencePod.Protocol;

namespace RecOperator.InferencePod.Server;

/// <summary>The server and model metadata documents of the protocol (REST and gRPC share the values).</summary>
internal static class ServerMetadata
{
    public const string Name = "recoperator-inferencepod";
    public const string Platform = "onnxruntime_onnx";
    public static readonly string Version = typeof(ServerMetadata).Assembly.GetName().Version?.ToString() ?? "0";
    /// <summary>Only what the pod implements: it has no model repository API (/v2/repository/*), so it claims none.</summary>
    public static readonly string[] Extensions = ["binary_tensor_data"];

    public static void Write(Utf8JsonWriter writer)
    {
        writer.WriteString("name", Name);
        writer.WriteString("version", Version);
        writer.WriteStartArray("extensions");
        foreach (var extension in Extensions)
        {
            writer.WriteStringValue(extension);
        }
        writer.WriteEndArray();
    }

    public static void WriteModel(Utf8JsonWriter writer, ServedModel model)
    {
        writer.WriteString("name", model.Name);
        writer.WriteStartArray("versions");
        writer.WriteStringValue(InferenceService.ModelVersion);
        writer.WriteEndArray();
        writer.WriteString("platform", Platform);
        WriteTensors(writer, "inputs", model.DeclaredInputs);
        WriteTensors(writer, "outputs", model.Outputs);
    }

    private static void WriteTensors(Utf8JsonWriter writer, string property, IReadOnlyList<Onnx.TensorMetadata> tensors)
    {
        writer.WriteStartArray(property);
        foreach (var tensor in tensors)
        {
            writer.WriteStartObject();
            writer.WriteString("name", tensor.Name);
            writer.WriteString("datatype", Datatypes.Name(tensor.ElementType));
            writer.WriteStartArray("shape");
            foreach (var dim in tensor.Dimensions)
            {
                writer.WriteNumberValue(dim);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
