using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Api.Protobuf;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests.UnitTests;

/// <summary>
/// A protobuf body that is not well formed is the client's mistake: 400 with a message saying what is wrong, and
/// never any other exception, whatever the bytes (every truncation and thousands of random corruptions of a real one).
/// </summary>
public sealed class ProtobufMalformedBodyTests
{
    public static TheoryData<string, byte[], string> Malformed() => new()
    {
        { "no envelope", "{\"kind\":\"Pod\"}"u8.ToArray(), "does not start with the k8s\\0 envelope" },
        { "truncated length", [.. "k8s\0"u8, 0x0a], "the varint at byte 1 is cut short" },
        { "varint over ten bytes", [.. "k8s\0"u8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], "longer than ten bytes" },
        { "length past the end", [.. "k8s\0"u8, 0x12, 0x05, 0x01], "past the end of its message" },
        { "fixed64 cut short", [.. "k8s\0"u8, 0x09, 0x01, 0x02], "is cut short" },
        { "group wire type", [.. "k8s\0"u8, 0x0b], "wire type 3" },
        { "wire type 7", [.. "k8s\0"u8, 0x0f], "wire type 7" },
        { "field number 0", [.. "k8s\0"u8, 0x02, 0x00], "field number 0" },
        { "no kind", [.. "k8s\0"u8, .. new ProtoWriter().Message(2, new ProtoWriter()).ToArray()], "names no apiVersion and kind" },
        { "string sent as varint", Body("v1", "ConfigMap", new ProtoWriter().Message(1, m => m.Varint(1, 5))), "field 1 at metadata.name has wire type 0" },
        { "invalid UTF-8", Body("v1", "ConfigMap", new ProtoWriter().Message(1, m => m.Bytes(1, [0xc3, 0x28]))), "metadata.name is not valid UTF-8" },
        { "int32 out of range", Body("apps/v1", "Deployment", new ProtoWriter().Message(2, s => s.Varint(1, 1L << 32))), "spec.replicas: 4294967296 is out of the range of int32" },
        { "IntOrString type 2", Body("policy/v1", "PodDisruptionBudget", new ProtoWriter().Message(2, s => s.Message(1, v => v.Varint(1, 2)))), "IntOrString type 2" },
        { "map entry field 3", Body("v1", "ConfigMap", new ProtoWriter().Message(2, e => e.String(1, "k").String(3, "v"))), "a map entry has no field 3" },
        { "time past year 9999", Body("v1", "ConfigMap", new ProtoWriter().Message(1, m => m.Message(8, t => t.Varint(1, 300_000_000_000)))), "not a time between years 1 and 9999" },
        { "fieldsV1 not JSON", Body("v1", "ConfigMap", new ProtoWriter().Message(1, m => m.Message(17, e => e.Message(7, f => f.String(1, "{not json"))))), "holds bytes that are not JSON" },
        { "list item of wrong wire type", Body("v1", "ConfigMap", new ProtoWriter().Message(1, m => m.Varint(14, 1))), "field 14 at metadata.finalizers[0] has wire type 0" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Decode_MalformedBody_Is400SayingWhatIsWrong(string what, byte[] body, string message)
    {
        var decode = () => ProtobufObjectDecoder.Decode(body);

        var error = decode.Should().Throw<ApiException>(what).Which;
        (error.Code, error.Reason).Should().Be((400, "BadRequest"));
        error.Message.Should().Contain(message);
    }

    [Fact]
    public void Decode_EveryTruncationOfARealBody_DecodesOrIs400()
    {
        var body = KubectlDeployment();

        for (var length = 0; length < body.Length; length++)
        {
            ShouldDecodeOrRefuse(body.AsSpan(0, length).ToArray(), $"the first {length} bytes");
        }
    }

    [Fact]
    public void Decode_RandomCorruptionsOfARealBody_DecodeOrAreRefused()
    {
        var body = KubectlDeployment();
        var random = new Random(20261124);

        for (var i = 0; i < 5000; i++)
        {
            var corrupt = (byte[])body.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                corrupt[random.Next(4, corrupt.Length)] = (byte)random.Next(256);
            }
            ShouldDecodeOrRefuse(corrupt, $"corruption {i}");
        }
    }

    private static void ShouldDecodeOrRefuse(byte[] body, string what)
    {
        try
        {
            ProtobufObjectDecoder.Decode(body);
        }
        catch (ApiException e) when (e.Code is 400 or 415)
        {
            // Refused as the client's mistake, or as a field this server does not decode: both are answers, not crashes.
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{what} threw {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>What `kubectl create deployment` really sent (testassets/protobuf, see its README).</summary>
    private static byte[] KubectlDeployment() => File.ReadAllBytes(Kubectl.Asset(Path.Combine("protobuf", "create-deployment", "request.pb")));

    private static byte[] Body(string apiVersion, string kind, ProtoWriter obj) => ProtoWriter.Envelope(apiVersion, kind, obj);
}
