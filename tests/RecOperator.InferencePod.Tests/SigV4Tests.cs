using RecOperator.InferencePod.Artifacts;

namespace RecOperator.InferencePod.Tests;

/// <summary>
/// The SigV4 signer against AWS's published example: the S3 API reference's "GET Object" example of header-based
/// authentication (first 10 bytes of examplebucket/test.txt, signed payload = the empty body's hash). Every step is
/// compared, so a fault says where it is.
/// </summary>
public sealed class SigV4Tests
{
    private const string AccessKeyId = "AKIAIOSFODNN7EXAMPLE";
    private const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static readonly DateTimeOffset Time = new(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);

    private static SigV4Request GetObjectExample => new(
        "GET", "/test.txt", "",
        [
            new("Host", "examplebucket.s3.amazonaws.com"),
            new("Range", "bytes=0-9"),
            new("x-amz-content-sha256", SigV4.EmptyPayloadHash),
            new("x-amz-date", "20130524T000000Z"),
        ],
        SigV4.EmptyPayloadHash, Time, "us-east-1", "s3", AccessKeyId, SecretAccessKey);

    [Fact]
    public void Sign_AwsGetObjectExample_CanonicalRequestIsTheDocumentedOne()
    {
        SigV4.Sign(GetObjectExample).CanonicalRequest.Should().Be(
            "GET\n" +
            "/test.txt\n" +
            "\n" +
            "host:examplebucket.s3.amazonaws.com\n" +
            "range:bytes=0-9\n" +
            "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n" +
            "x-amz-date:20130524T000000Z\n" +
            "\n" +
            "host;range;x-amz-content-sha256;x-amz-date\n" +
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    [Fact]
    public void Sign_AwsGetObjectExample_StringToSignIsTheDocumentedOne()
    {
        SigV4.Sign(GetObjectExample).StringToSign.Should().Be(
            "AWS4-HMAC-SHA256\n" +
            "20130524T000000Z\n" +
            "20130524/us-east-1/s3/aws4_request\n" +
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
    }

    [Fact]
    public void Sign_AwsGetObjectExample_SignatureAndAuthorizationAreTheDocumentedOnes()
    {
        var signed = SigV4.Sign(GetObjectExample);

        signed.Signature.Should().Be("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
        signed.Authorization.Should().Be(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request," +
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date," +
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    }

    [Fact]
    public void Sign_HeadersInAnyOrderAndCaseWithPaddedValues_SignsTheSame()
    {
        var shuffled = GetObjectExample with
        {
            Headers =
            [
                new("X-Amz-Date", "20130524T000000Z"),
                new("RANGE", "  bytes=0-9 "),
                new("x-amz-content-sha256", SigV4.EmptyPayloadHash),
                new("host", "examplebucket.s3.amazonaws.com"),
            ],
        };

        SigV4.Sign(shuffled).Signature.Should().Be("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    }

    [Theory]
    [InlineData("test.txt", "test.txt")]
    [InlineData("models/ranking v2/int8+fp16.onnx", "models/ranking%20v2/int8%2Bfp16.onnx")]
    [InlineData("a~b_c-d.e/f=g&h", "a~b_c-d.e/f%3Dg%26h")]
    [InlineData("modèle/ü.onnx", "mod%C3%A8le/%C3%BC.onnx")]
    [InlineData("a//b/../c", "a//b/../c")]
    public void EncodePath_ObjectKey_EncodesEachSegmentOnceKeepingSlashes(string key, string expected)
    {
        SigV4.EncodePath(key).Should().Be(expected);
    }

    [Fact]
    public void AmzDate_AnyOffset_IsUtcBasicFormat()
    {
        SigV4.AmzDate(new DateTimeOffset(2024, 2, 29, 23, 30, 5, TimeSpan.FromHours(-2))).Should().Be("20240301T013005Z");
    }
}
