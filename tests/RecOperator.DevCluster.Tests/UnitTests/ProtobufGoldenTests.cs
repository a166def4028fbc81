using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api.Protobuf;
using RecOperator.Tests.Shared;

namespace RecOperator.DevCluster.Tests.UnitTests;

/// <summary>
/// Golden files: testassets/protobuf/CASE/request.pb, the body a real kubectl typed create command sent, decodes to
/// CASE/expected.json, and that object is valid against the official schema (no noise fields, nothing missing that the
/// kind requires). The commands are listed in testassets/protobuf/README.md. Set RECOP_UPDATE_GOLDEN=1 to rewrite the
/// expected files.
/// </summary>
public sealed class ProtobufGoldenTests
{
    private static readonly string Root = RepoPaths.Combine("tests", "RecOperator.DevCluster.Tests", "testassets", "protobuf");
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static TheoryData<string> Cases() => new(Directory.GetDirectories(Root).Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decode_KubectlRequest_MatchesExpectedJson(string name)
    {
        var decoded = ProtobufObjectDecoder.Decode(File.ReadAllBytes(Path.Combine(Root, name, "request.pb")));
        var expectedPath = Path.Combine(Root, name, "expected.json");
        if (Environment.GetEnvironmentVariable("RECOP_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(expectedPath, decoded.ToJsonString(Indented) + "\n");
        }

        decoded.ToJsonString(Indented).Should().Be(File.ReadAllText(expectedPath).TrimEnd('\n'), $"{name}/expected.json differs");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decode_KubectlRequest_IsValidAgainstTheOfficialSchema(string name)
    {
        var decoded = ProtobufObjectDecoder.Decode(File.ReadAllBytes(Path.Combine(Root, name, "request.pb")));

        OfficialSchema.Load().Validate(decoded).Should().BeEmpty();
    }
}
