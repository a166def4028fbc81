using System.Runtime.InteropServices;
using RecOperator.InferencePod.Grpc.V2;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;

namespace RecOperator.InferencePod.Tests;

/// <summary>
/// A model with an FP16 output (no typed contents field) beside an FP32 one: raw_output_contents must line up with
/// outputs, so a typed request gets every output raw as soon as one of its outputs has to be.
/// </summary>
public sealed class GrpcMixedOutputTests
{
    private static readonly Lazy<string> Model = new(BuildModel);
    private static readonly float[] X = [1.5f, -2f, 0.25f, 4f, 65504f, -0.125f];

    [Theory]
    [InlineData(new string[0], new[] { "half", "score" })]
    [InlineData(new[] { "score", "half" }, new[] { "score", "half" })]
    public async Task ModelInfer_TypedRequestWithFp16Output_EveryOutputRawInOrder(string[] requested, string[] expected)
    {
        await using var pod = await TestPods.StartAsync(TestPods.Options(Model.Value, "mixed"));
        using var client = new GrpcTestClient(pod.GrpcPort);

        var (status, message, response) = await client.CallAsync("inference.GRPCInferenceService/ModelInfer", Request(requested), ModelInferResponse.Parser);

        status.Should().Be(0, message);
        response!.Outputs.Select(o => o.Name).Should().Equal(expected);
        response.Outputs.Should().OnlyContain(o => o.Contents == null, "typed contents must not be used beside raw ones");
        response.RawOutputContents.Should().HaveCount(expected.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var raw = response.RawOutputContents[i].Span;
            if (expected[i] == "half")
            {
                response.Outputs[i].Datatype.Should().Be("FP16");
                MemoryMarshal.Cast<byte, Half>(raw).ToArray().Should().Equal(X.Select(v => (Half)v));
            }
            else
            {
                response.Outputs[i].Datatype.Should().Be("FP32");
                MemoryMarshal.Cast<byte, float>(raw).ToArray().Should().Equal(X);
            }
        }
    }

    [Fact]
    public async Task ModelInfer_TypedRequestForFp32OutputOnly_AnswersTyped()
    {
        await using var pod = await TestPods.StartAsync(TestPods.Options(Model.Value, "mixed"));
        using var client = new GrpcTestClient(pod.GrpcPort);

        var (status, message, response) = await client.CallAsync("inference.GRPCInferenceService/ModelInfer", Request(["score"]), ModelInferResponse.Parser);

        status.Should().Be(0, message);
        response!.RawOutputContents.Should().BeEmpty();
        response.Outputs.Single().Contents.Fp32Contents.Should().Equal(X);
    }

    private static ModelInferRequest Request(string[] outputs)
    {
        var request = new ModelInferRequest { ModelName = "mixed" };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = "FP32", Contents = new InferTensorContents() };
        input.Shape.AddRange([2, 3]);
        input.Contents.Fp32Contents.AddRange(X);
        request.Inputs.Add(input);
        request.Outputs.AddRange(outputs.Select(o => new ModelInferRequest.Types.InferRequestedOutputTensor { Name = o }));
        return request;
    }

    /// <summary>half = Cast(x, FLOAT16) first, then score = Identity(x): an FP16 output ahead of an FP32 one.</summary>
    private static string BuildModel()
    {
        var graph = new OnnxGraphBuilder("mixed_outputs")
            .Input("x", TensorElementType.Float, "batch", 3)
            .Output("half", TensorElementType.Float16, "batch", 3)
            .Output("score", TensorElementType.Float, "batch", 3);
        graph.NodeNamed("Cast", "half", ["x"], OnnxAttributes.Int("to", (long)Onnx.Proto.TensorProto.Types.DataType.Float16));
        graph.NodeNamed("Identity", "score", ["x"]);
        var path = Path.Combine(Path.GetTempPath(), "recpod-tests-" + Environment.ProcessId, "mixed-outputs.onnx");
        OnnxModelFiles.Write(graph.Build("tests"), path);
        return path;
    }
}
