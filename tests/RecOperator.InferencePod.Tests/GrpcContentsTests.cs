using RecOperator.InferencePod.Grpc.V2;
using RecOperator.ModelOptimizer.Reference;

namespace RecOperator.InferencePod.Tests;

/// <summary>Where a ModelInfer input's values may be: raw_input_contents, or the one typed contents field of its datatype.</summary>
[Collection(DlrmPodCollection.Name)]
public sealed class GrpcContentsTests(DlrmPodFixture fixture)
{
    private const string ModelInfer = "inference.GRPCInferenceService/ModelInfer";

    [Theory]
    [InlineData(0, true)]
    [InlineData(5, true)]
    [InlineData(5, false)]
    public async Task ModelInfer_RawAndTypedContents_InvalidArgumentNamingInput(int input, bool withValues)
    {
        var request = GrpcRequests.Infer("dlrm", Inputs(), raw: true);
        // A contents message that is present counts even when empty, as in Triton (has_contents).
        request.Inputs[input].Contents = new InferTensorContents();
        if (withValues)
        {
            request.Inputs[input].Contents.Int64Contents.Add(1);
        }
        using var client = new GrpcTestClient(fixture.Pod.GrpcPort);

        var (status, message, _) = await client.CallAsync(ModelInfer, request, ModelInferResponse.Parser);

        status.Should().Be(3, message);
        message.Should().Be($"input '{request.Inputs[input].Name}': contents field must not be specified when using raw_input_contents");
    }

    [Theory]
    [InlineData(0, "FP32", "int64_contents", "fp32_contents")]
    [InlineData(1, "INT64", "fp32_contents", "int64_contents")]
    [InlineData(1, "INT64", "int_contents", "int64_contents")]
    public async Task ModelInfer_ValuesInAnotherTypedField_NamesInputDatatypeAndBothFields(int input, string datatype, string used, string expected)
    {
        var request = GrpcRequests.Infer("dlrm", Inputs(), raw: false);
        var tensor = request.Inputs[input];
        tensor.Datatype.Should().Be(datatype);
        var count = tensor.Contents.Fp32Contents.Count + tensor.Contents.Int64Contents.Count;
        tensor.Contents = new InferTensorContents();
        switch (used)
        {
            case "int64_contents": tensor.Contents.Int64Contents.AddRange(Enumerable.Repeat(1L, count)); break;
            case "int_contents": tensor.Contents.IntContents.AddRange(Enumerable.Repeat(1, count)); break;
            default: tensor.Contents.Fp32Contents.AddRange(Enumerable.Repeat(1f, count)); break;
        }
        using var client = new GrpcTestClient(fixture.Pod.GrpcPort);

        var (status, message, _) = await client.CallAsync(ModelInfer, request, ModelInferResponse.Parser);

        status.Should().Be(3, message);
        message.Should().Be($"input '{tensor.Name}' ({datatype}) has values in {used}; {datatype} values go in {expected} (or raw_input_contents)");
    }

    [Fact]
    public async Task ModelInfer_TooFewTypedValues_NamesTheField()
    {
        var request = GrpcRequests.Infer("dlrm", Inputs(), raw: false);
        request.Inputs[0].Contents.Fp32Contents.RemoveAt(0);
        using var client = new GrpcTestClient(fixture.Pod.GrpcPort);

        var (status, message, _) = await client.CallAsync(ModelInfer, request, ModelInferResponse.Parser);

        status.Should().Be(3, message);
        message.Should().Be($"input '{request.Inputs[0].Name}': its shape needs 26 values, fp32_contents has 25");
    }

    private static IReadOnlyList<Onnx.NamedTensor> Inputs() => TestModels.Reference("dlrm-small").CreateInputs(2, new DeterministicRandom(41));
}
