using Google.Protobuf;
using RecOperator.InferencePod.Grpc.V2;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Tests;

/// <summary>ModelInferRequest messages from engine tensors: typed contents or raw_input_contents.</summary>
internal static class GrpcRequests
{
    public static ModelInferRequest Infer(string model, IReadOnlyList<NamedTensor> inputs, bool raw)
    {
        var request = new ModelInferRequest { ModelName = model, Id = "grpc" };
        foreach (var (name, tensor) in inputs)
        {
            var input = new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = tensor.ElementType == TensorElementType.Float ? "FP32" : "INT64" };
            input.Shape.AddRange(tensor.Shape.ToArray());
            if (raw)
            {
                request.RawInputContents.Add(tensor is TensorBuffer<float> f
                    ? ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(f.Span))
                    : ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(((TensorBuffer<long>)tensor).Span)));
            }
            else
            {
                input.Contents = new InferTensorContents();
                if (tensor is TensorBuffer<float> floats)
                {
                    input.Contents.Fp32Contents.AddRange(floats.Span.ToArray());
                }
                else
                {
                    input.Contents.Int64Contents.AddRange(((TensorBuffer<long>)tensor).Span.ToArray());
                }
            }
            request.Inputs.Add(input);
        }
        return request;
    }

    public static float[] Scores(ModelInferResponse response) =>
        response.RawOutputContents.Count > 0
            ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(response.RawOutputContents[0].Span).ToArray()
            : [.. response.Outputs[0].Contents.Fp32Contents];
}
