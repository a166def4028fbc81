using System.ComponentModel;
using System.Text.Json.Serialization;

namespace RecOperator.Crds.Models;

/// <summary>The ONNX Runtime execution provider an inference pod runs the artifact with.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExecutionProvider>))]
[Description("ONNX Runtime execution provider. Cuda and TensorRT need a Gpu variant.")]
public enum ExecutionProvider
{
    Cpu,
    Cuda,
    TensorRT,
    OpenVINO,
    Dnnl,
    Xnnpack,
}
