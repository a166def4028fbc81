using System.IO.Compression;
using Google.Protobuf;
using RecOperator.InferencePod.Grpc.Health;
using RecOperator.InferencePod.Grpc.V2;
using RecOperator.ModelOptimizer.Reference;

namespace RecOperator.InferencePod.Tests;

/// <summary>
/// Compressed request messages (grpc/grpc doc/compression.md) sent frame by frame: gzip and deflate (zlib) are read,
/// answers go out uncompressed and advertise grpc-accept-encoding, and the message limit holds after inflating.
/// </summary>
[Collection(DlrmPodCollection.Name)]
public sealed class GrpcCompressionTests(DlrmPodFixture fixture)
{
    private const string ModelInfer = "inference.GRPCInferenceService/ModelInfer";
    private const string Accepted = "identity,deflate,gzip";

    /// <summary>DlrmPodFixture's --max-message-bytes.</summary>
    private const int Limit = 256 * 1024;

    [Theory]
    [InlineData("gzip", true, true)]
    [InlineData("deflate", true, true)]
    [InlineData("gzip", false, true)]
    [InlineData("deflate", false, true)]
    [InlineData("gzip", true, false)]
    public async Task ModelInfer_CompressedMessage_AnswersAsUncompressed(string encoding, bool raw, bool compressed)
    {
        var inputs = TestModels.Reference("dlrm-small").CreateInputs(4, new DeterministicRandom(21));
        var message = GrpcRequests.Infer("dlrm", inputs, raw).ToByteArray();
        using var client = new GrpcTestClient(fixture.Pod.GrpcPort);
        var plain = await client.SendAsync(ModelInfer, new ByteArrayContent(GrpcTestClient.Frame(message)));

        // A call's messages may each be compressed or not (the flag byte); grpc-encoding names the codec of those that are.
        var frame = compressed ? GrpcTestClient.Frame(Compress(message, encoding), flag: 1) : GrpcTestClient.Frame(message);
        var answer = await client.SendAsync(ModelInfer, new ByteArrayContent(frame), ("grpc-encoding", encoding));

        answer.Status.Should().Be(0, answer.Message);
        answer.Body[0].Should().Be(0, "answers are not compressed");
        Parse(answer.Body).Should().Be(Parse(plain.Body));
        answer.AcceptEncoding.Should().Be(Accepted);
        plain.AcceptEncoding.Should().Be(Accepted);
    }

    [Fact]
    public async Task HealthCheck_GzipMessage_AnswersServing()
    {
        using var client = new GrpcTestClient(fixture.Pod.GrpcPort);
        var message = Compress(new HealthCheckRequest { Service = "inference.GRPCInferenceService" }.ToByteArray(), "gzip");

        var answer = await client.SendAsync("grpc.health.v1.Health/Check", new ByteArrayContent(GrpcTestClient.Frame(message, flag: 1)), ("grpc-encoding", "gzip"));

        answer.Status.Should().Be(0, answer.Message);
        HealthCheckResponse.Parser.ParseFrom(answer.Body.AsSpan(5)).Status.Should().Be(HealthCheckResponse.Types.ServingStatus.Serving);
    }

    [Theory]
    [InlineData("gzip", Limit, 3)]
    [InlineData("gzip", Limit + 1, 8)]
    [InlineData("deflate", Limit + 1, 8)]
    [InlineData("gzip", 64 * 1024 * 1024, 8)]
    public async Task ModelInfer_MessageInflatingPastLimit_ResourceExhaustedNamingLimit(string encoding, int inflatedBytes, int expected)
    {
        // Zeros: 64 MiB of them compress to about 64 KiB, well inside the limit before inflating (a "zip bomb").
        var bomb = CompressZeros(inflatedBytes, encoding);
        bomb.Length.Should().BeLessThan(Limit);
        using var client = new GrpcTestClient(fixture.Pod.GrpcPort);

        var answer = await client.SendAsync(ModelInfer, new ByteArrayContent(GrpcTestClient.Frame(bomb, flag: 1)), ("grpc-encoding", encoding));

        // At the limit the message inflates and then fails to parse (zeros are no protobuf): INVALID_ARGUMENT, not 8.
        answer.Status.Should().Be(expected, answer.Message);
        if (expected == 8)
        {
            answer.Message.Should().Contain($"limit of {Limit} bytes").And.Contain(encoding);
        }
        var health = await client.CallAsync("grpc.health.v1.Health/Check", new HealthCheckRequest(), HealthCheckResponse.Parser);
        health.Response!.Status.Should().Be(HealthCheckResponse.Types.ServingStatus.Serving);
    }

    [Theory]
    [InlineData("snappy")]
    [InlineData("br")]
    [InlineData("gzip, deflate")]
    public async Task Call_UnsupportedEncoding_UnimplementedNamingItAndTheAcceptedOnes(string encoding)
    {
        using var client = new GrpcTestClient(fixture.Pod.GrpcPort);
        var message = new ServerLiveRequest().ToByteArray();

        var answer = await client.SendAsync("inference.GRPCInferenceService/ServerLive", new ByteArrayContent(GrpcTestClient.Frame(message, flag: 1)),
            ("grpc-encoding", encoding));

        answer.Status.Should().Be(12, answer.Message);
        answer.Message.Should().Contain($"grpc-encoding '{encoding}'").And.Contain(Accepted);
        answer.AcceptEncoding.Should().Be(Accepted);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("identity")]
    public async Task ModelInfer_CompressedFlagWithoutEncoding_Internal(string? encoding)
    {
        var inputs = TestModels.Reference("dlrm-small").CreateInputs(1, new DeterministicRandom(22));
        var frame = GrpcTestClient.Frame(Compress(GrpcRequests.Infer("dlrm", inputs, raw: true).ToByteArray(), "gzip"), flag: 1);
        using var client = new GrpcTestClient(fixture.Pod.GrpcPort);

        var answer = await client.SendAsync(ModelInfer, new ByteArrayContent(frame), encoding is null ? [] : [("grpc-encoding", encoding)]);

        answer.Status.Should().Be(13, "gRPC's compression doc: a compressed flag without an encoding is INTERNAL");
        answer.Message.Should().Contain("grpc-encoding");
    }

    [Theory]
    [InlineData("gzip", 1, "does not inflate")]
    [InlineData("deflate", 1, "does not inflate")]
    [InlineData("gzip", 2, "compressed flag is 2")]
    public async Task ModelInfer_CorruptCompressedMessageOrFlag_InvalidArgument(string encoding, byte flag, string expected)
    {
        var garbage = new byte[200];
        new Random(23).NextBytes(garbage);
        using var client = new GrpcTestClient(fixture.Pod.GrpcPort);

        var answer = await client.SendAsync(ModelInfer, new ByteArrayContent(GrpcTestClient.Frame(garbage, flag)), ("grpc-encoding", encoding));

        answer.Status.Should().Be(3, answer.Message);
        answer.Message.Should().Contain(expected);
    }

    private static ModelInferResponse Parse(byte[] framed) => ModelInferResponse.Parser.ParseFrom(framed.AsSpan(5));

    /// <summary>gRPC's gzip is GZip; its deflate is zlib (RFC 1950), which is what grpc-go, grpc-java and grpc-js send.</summary>
    private static byte[] Compress(byte[] message, string encoding)
    {
        using var output = new MemoryStream();
        using (var compressor = Compressor(output, encoding))
        {
            compressor.Write(message);
        }
        return output.ToArray();
    }

    private static byte[] CompressZeros(int bytes, string encoding)
    {
        var zeros = new byte[1024 * 1024];
        using var output = new MemoryStream();
        using (var compressor = Compressor(output, encoding))
        {
            for (var left = bytes; left > 0; left -= zeros.Length)
            {
                compressor.Write(zeros, 0, Math.Min(left, zeros.Length));
            }
        }
        return output.ToArray();
    }

    private static Stream Compressor(Stream output, string encoding) => encoding == "gzip"
        ? new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)
        : new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true);
}
