using System.Net;
using Google.Protobuf;
using RecOperator.InferencePod.Grpc.V2;
using RecOperator.ModelOptimizer.Reference;

namespace RecOperator.InferencePod.Tests;

/// <summary>A unary call carries exactly one request message: a second one is refused, not ignored.</summary>
[Collection(DlrmPodCollection.Name)]
public sealed class GrpcUnaryCallTests(DlrmPodFixture fixture)
{
    private const string Service = "inference.GRPCInferenceService";

    [Theory]
    [InlineData("ModelInfer")]
    [InlineData("ServerLive")]
    public async Task Call_TwoMessages_InvalidArgumentSayingOneMessage(string method)
    {
        var message = Message(method);
        using var client = new GrpcTestClient(fixture.Pod.GrpcPort);

        var (status, text, _) = await client.CallRawAsync($"{Service}/{method}", [.. GrpcTestClient.Frame(message), .. GrpcTestClient.Frame(message)]);

        status.Should().Be(3, text);
        text.Should().Contain("a unary call takes one message");
    }

    [Fact]
    public async Task ModelInfer_SecondMessageSentLater_InvalidArgument()
    {
        var frame = GrpcTestClient.Frame(Message("ModelInfer"));
        using var client = new GrpcTestClient(fixture.Pod.GrpcPort);

        // The first message arrives alone (its own DATA frame); the second comes 300 ms later, before the stream ends.
        var answer = await client.SendAsync($"{Service}/ModelInfer", new DelayedSecondPart(frame, frame, TimeSpan.FromMilliseconds(300)));

        answer.Status.Should().Be(3, answer.Message);
        answer.Message.Should().Contain("a unary call takes one message");
    }

    [Fact]
    public async Task ModelInfer_MessageThenStreamEndsLater_AnswersOk()
    {
        var frame = GrpcTestClient.Frame(Message("ModelInfer"));
        using var client = new GrpcTestClient(fixture.Pod.GrpcPort);

        var answer = await client.SendAsync($"{Service}/ModelInfer", new DelayedSecondPart(frame, [], TimeSpan.FromMilliseconds(300)));

        answer.Status.Should().Be(0, answer.Message);
        ModelInferResponse.Parser.ParseFrom(answer.Body.AsSpan(5)).Outputs.Should().ContainSingle();
    }

    [Fact]
    public async Task ModelInfer_StreamEndsOnlyAfterKestrelsBodyRateGrace_AnswersOkAndKeepsTheConnection()
    {
        var frame = GrpcTestClient.Frame(Message("ModelInfer"));
        using var client = new GrpcTestClient(fixture.Pod.GrpcPort);

        // 6 s without a byte after the message: Kestrel's default minimum body rate (240 B/s after a 5 s grace, counted
        // on the whole HTTP/2 connection) used to reset the connection, failing every call on it with no grpc-status.
        var slow = client.SendAsync($"{Service}/ModelInfer", new DelayedSecondPart(frame, [], TimeSpan.FromSeconds(6)));
        await Task.Delay(TimeSpan.FromSeconds(5.5));
        var beside = await client.SendAsync($"{Service}/ServerLive", new ByteArrayContent(GrpcTestClient.Frame(Message("ServerLive"))));
        var answer = await slow;

        answer.Status.Should().Be(0, answer.Message);
        beside.Status.Should().Be(0, beside.Message);
    }

    private static byte[] Message(string method) => method == "ModelInfer"
        ? GrpcRequests.Infer("dlrm", TestModels.Reference("dlrm-small").CreateInputs(2, new DeterministicRandom(31)), raw: true).ToByteArray()
        : new ServerLiveRequest().ToByteArray();

    /// <summary>A request body written in two parts with a pause between them (each part flushed as its own DATA frame).</summary>
    private sealed class DelayedSecondPart(byte[] first, byte[] second, TimeSpan pause) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(first);
            await stream.FlushAsync();
            await Task.Delay(pause);
            await stream.WriteAsync(second);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
