using Google.Protobuf;
using RecOperator.InferencePod.Grpc.V2;
using RecOperator.InferencePod.GrpcApi;
using RecOperator.InferencePod.Protocol;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Tests;

/// <summary>
/// The in-place ModelInferRequest reader against the generated parser: for every message it reads, the request (and
/// every refusal) must be the same as the generated path's; every other message it must decline.
/// </summary>
public sealed class ModelInferReaderTests
{
    private static readonly ModelInferReader Reader = new(new ServedNames("dlrm", ["dense", "ids"]));

    [Fact]
    public void TryRead_RawMessage_GivesTheGeneratedPathsRequest()
    {
        var message = Message(("dense", "FP32", [2, 3], 24), ("ids", "INT64", [2], 16));
        message.Id = "req-7";
        message.ModelVersion = "1";
        message.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "score" });

        var fast = Read(message.ToByteArray());

        fast.Should().NotBeNull();
        (fast!.ModelName, fast.ModelVersion).Should().Be(("dlrm", "1"));
        AssertSameRequest(GrpcInferConverter.ToRequest(fast), GrpcInferConverter.ToRequest(message));
    }

    [Fact]
    public void TryRead_RawContentsBeforeTheirInputs_PairsThemByPosition()
    {
        var message = Message(("ids", "INT64", [2], 16), ("dense", "FP32", [1, 3], 12));
        var rawOnly = new ModelInferRequest();
        rawOnly.RawInputContents.AddRange(message.RawInputContents);
        var rest = message.Clone();
        rest.RawInputContents.Clear();
        // Concatenated messages merge: this one carries its raw contents first, then the inputs.
        var bytes = rawOnly.ToByteArray().Concat(rest.ToByteArray()).ToArray();

        var fast = Read(bytes);

        AssertSameRequest(GrpcInferConverter.ToRequest(fast!), GrpcInferConverter.ToRequest(ModelInferRequest.Parser.ParseFrom(bytes)));
    }

    [Fact]
    public void TryRead_InputNamesNotServed_AreDecodedAsSent()
    {
        var fast = Read(Message(("other", "FP32", [1], 4), ("dense", "FP32", [1], 4)).ToByteArray());

        fast!.Inputs.Select(i => i.Name).Should().Equal("other", "dense");
    }

    [Fact]
    public void TryRead_TypedContentsParametersOrNoRawContents_AreLeftToTheGeneratedParser()
    {
        var typed = Message(("dense", "FP32", [1], 4));
        typed.RawInputContents.Clear();
        typed.Inputs[0].Contents = new InferTensorContents();
        typed.Inputs[0].Contents.Fp32Contents.Add(1f);
        var inputParameter = Message(("dense", "FP32", [1], 4));
        inputParameter.Inputs[0].Parameters["binary_data_size"] = new InferParameter { Int64Param = 4 };
        var requestParameter = Message(("dense", "FP32", [1], 4));
        requestParameter.Parameters["priority"] = new InferParameter { Int64Param = 1 };
        var outputParameter = Message(("dense", "FP32", [1], 4));
        outputParameter.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "score", Parameters = { ["classification"] = new InferParameter { Int64Param = 1 } } });

        foreach (var message in new[] { typed, inputParameter, requestParameter, outputParameter })
        {
            Read(message.ToByteArray()).Should().BeNull();
        }
    }

    [Fact]
    public void TryRead_RawAndTypedContentsForOneInput_IsDeclinedAndTheGeneratedPathRefusesIt()
    {
        var message = Message(("dense", "FP32", [1], 4), ("ids", "INT64", [1], 8));
        message.Inputs[1].Contents = new InferTensorContents();

        Read(message.ToByteArray()).Should().BeNull();
        FluentActions.Invoking(() => GrpcInferConverter.ToRequest(message)).Should().Throw<InferException>()
            .WithMessage("input 'ids': contents field must not be specified when using raw_input_contents");
    }

    [Fact]
    public void TryRead_MalformedBytes_AreDeclinedAndTheGeneratedParserRefusesThem()
    {
        var whole = Message(("dense", "FP32", [2, 3], 24)).ToByteArray();
        byte[][] malformed = [whole[..^3], [0x2A, 0x7F, 0x01], [0x00, 0x01], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]];

        foreach (var bytes in malformed)
        {
            Read(bytes).Should().BeNull();
            FluentActions.Invoking(() => GrpcFraming.Parse(ModelInferRequest.Parser, bytes)).Should().Throw<InferException>()
                .Which.Status.Should().Be(InferStatus.InvalidArgument);
        }
    }

    [Fact]
    public void TryRead_InvalidUtf8InIdAndName_DecodesAsTheGeneratedParserDoes()
    {
        var valid = Message(("dense", "FP32", [1], 4)).ToByteArray();
        // id (field 3) and one more input (field 5) whose name (field 1) is the invalid UTF-8 sequence C3 28.
        byte[] invalid = [0x1A, 0x02, 0xC3, 0x28, 0x2A, 0x04, 0x0A, 0x02, 0xC3, 0x28];
        var bytes = valid.Concat(invalid).ToArray();

        var fast = Read(bytes);
        var generated = ModelInferRequest.Parser.ParseFrom(bytes);

        fast!.Id.Should().Be(generated.Id);
        fast.Inputs.Select(i => i.Name).Should().Equal(generated.Inputs.Select(i => i.Name));
    }

    [Theory]
    [InlineData("more raw contents than inputs")]
    [InlineData("unsupported datatype")]
    [InlineData("empty name")]
    [InlineData("no inputs")]
    public void ToRequest_BadMessage_RefusesWithTheGeneratedPathsMessage(string problem)
    {
        var message = Message(("dense", "FP32", [1], 4), ("ids", "INT64", [1], 8));
        switch (problem)
        {
            case "more raw contents than inputs": message.RawInputContents.Add(ByteString.CopyFrom(new byte[4])); break;
            case "unsupported datatype": message.Inputs[1].Datatype = "STRING"; break;
            case "empty name": message.Inputs[0].Name = ""; break;
            default: message.Inputs.Clear(); break;
        }

        var fast = Read(message.ToByteArray());

        fast.Should().NotBeNull();
        var expected = FluentActions.Invoking(() => GrpcInferConverter.ToRequest(message)).Should().Throw<InferException>().Which.Message;
        FluentActions.Invoking(() => GrpcInferConverter.ToRequest(fast!)).Should().Throw<InferException>().WithMessage(expected);
    }

    private static ModelInferMessage? Read(byte[] bytes) => Reader.TryRead(bytes);

    private static ModelInferRequest Message(params (string Name, string Datatype, long[] Shape, int Bytes)[] inputs)
    {
        var message = new ModelInferRequest { ModelName = "dlrm" };
        var fill = (byte)1;
        foreach (var (name, datatype, shape, bytes) in inputs)
        {
            var input = new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = datatype };
            input.Shape.AddRange(shape);
            message.Inputs.Add(input);
            message.RawInputContents.Add(ByteString.CopyFrom(Enumerable.Range(0, bytes).Select(i => (byte)(i * fill)).ToArray()));
            fill++;
        }
        return message;
    }

    private static void AssertSameRequest(InferRequest actual, InferRequest expected)
    {
        actual.Id.Should().Be(expected.Id);
        actual.RequestedOutputs.Should().Equal(expected.RequestedOutputs);
        actual.BinaryOutputs.Should().BeEmpty();
        actual.Inputs.Should().HaveCount(expected.Inputs.Count);
        for (var i = 0; i < expected.Inputs.Count; i++)
        {
            var (a, e) = (actual.Inputs[i], expected.Inputs[i]);
            (a.Name, a.ElementType).Should().Be((e.Name, e.ElementType));
            a.Shape.Should().Equal(e.Shape);
            a.Data.ToArray().Should().Equal(e.Data.ToArray());
        }
    }
}
