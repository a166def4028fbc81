using System.IO.Compression;
using RecOperator.InferencePod.GrpcApi;
using RecOperator.InferencePod.Protocol;

namespace RecOperator.InferencePod.Tests;

/// <summary>The capped inflater alone: exact output up to the limit, a refusal one byte past it, and broken input.</summary>
public sealed class GrpcInflaterTests
{
    private const int Limit = 64 * 1024;

    [Theory]
    [InlineData(true, 1)]
    [InlineData(true, Limit)]
    [InlineData(false, 100)]
    [InlineData(false, Limit)]
    public void Inflate_UpToTheLimit_GivesTheMessage(bool gzip, int bytes)
    {
        var encoding = gzip ? GrpcEncoding.Gzip : GrpcEncoding.Deflate;
        var message = new byte[bytes];
        new Random(bytes).NextBytes(message);

        using var inflated = GrpcInflater.Inflate(Compress(message, encoding), encoding, Limit);

        inflated.Memory.ToArray().Should().Equal(message);
    }

    [Theory]
    [InlineData(true, new byte[] { 0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(false, new byte[] { 0x78, 0x9C, 3, 0, 0, 0, 0, 1 })]
    [InlineData(true, new byte[0])]
    [InlineData(false, new byte[0])]
    public void Inflate_EmptyMessage_GivesNoBytes(bool gzip, byte[] compressed)
    {
        // A whole empty stream, as Go, Java and Node write it; and no bytes at all, as .NET's compressing streams write it.
        using var inflated = GrpcInflater.Inflate(compressed, gzip ? GrpcEncoding.Gzip : GrpcEncoding.Deflate, Limit);

        inflated.Length.Should().Be(0);
    }

    [Theory]
    [InlineData(true, Limit + 1)]
    [InlineData(false, Limit + 1)]
    [InlineData(true, 256 * 1024 * 1024)]
    public void Inflate_PastTheLimit_ResourceExhaustedNamingIt(bool gzip, int bytes)
    {
        var encoding = gzip ? GrpcEncoding.Gzip : GrpcEncoding.Deflate;
        var compressed = Compress(new byte[bytes], encoding);

        var refusal = FluentActions.Invoking(() => GrpcInflater.Inflate(compressed, encoding, Limit)).Should().Throw<InferException>().Which;

        refusal.Status.Should().Be(InferStatus.ResourceExhausted);
        refusal.Message.Should().Contain($"inflates past the message size limit of {Limit} bytes");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Inflate_RawDeflateOrGarbage_InvalidArgument(bool gzip)
    {
        var encoding = gzip ? GrpcEncoding.Gzip : GrpcEncoding.Deflate;
        // Raw deflate (no zlib or gzip header) is what a client confusing the two would send.
        var raw = Compress(new byte[1000], null);

        var refusal = FluentActions.Invoking(() => GrpcInflater.Inflate(raw, encoding, Limit)).Should().Throw<InferException>().Which;

        refusal.Status.Should().Be(InferStatus.InvalidArgument);
        refusal.Message.Should().Contain("does not inflate");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Inflate_TruncatedStream_InvalidArgument(bool gzip)
    {
        var encoding = gzip ? GrpcEncoding.Gzip : GrpcEncoding.Deflate;
        var message = new byte[5000];
        new Random(7).NextBytes(message);
        var compressed = Compress(message, encoding);

        // GZipStream and ZLibStream alone return the 4,000-odd bytes they inflated, without an error.
        var refusal = FluentActions.Invoking(() => GrpcInflater.Inflate(compressed[..^100], encoding, Limit)).Should().Throw<InferException>().Which;

        refusal.Status.Should().Be(InferStatus.InvalidArgument);
        refusal.Message.Should().Contain("ends before its compressed stream does");
    }

    private static byte[] Compress(byte[] message, GrpcEncoding? encoding)
    {
        using var output = new MemoryStream();
        using (Stream compressor = encoding switch
        {
            GrpcEncoding.Gzip => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
            GrpcEncoding.Deflate => new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true),
            _ => new DeflateStream(output, CompressionLevel.Fastest, leaveOpen: true),
        })
        {
            compressor.Write(message);
        }
        return output.ToArray();
    }
}
