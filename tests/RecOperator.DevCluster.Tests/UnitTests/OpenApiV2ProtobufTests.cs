using System.Text.Json;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests.UnitTests;

public sealed class OpenApiV2ProtobufTests
{
    [Theory]
    [InlineData("application/com.github.proto-openapi.spec.v2@v1.0+protobuf", true)]
    [InlineData("application/com.github.proto-openapi.spec.v2.v1.0+protobuf", true)]
    [InlineData("application/json", false)]
    [InlineData("application/json, application/com.github.proto-openapi.spec.v2@v1.0+protobuf", false)]
    [InlineData("application/com.github.proto-openapi.spec.v2@v1.0+protobuf;q=0.9, application/json", true)]
    [InlineData("*/*", false)]
    [InlineData("", false)]
    public void Preferred_AcceptHeader_ProtobufOnlyWhenNamedBeforeJson(string accept, bool protobuf) =>
        OpenApiV2Protobuf.Preferred(accept).Should().Be(protobuf);

    [Fact]
    public void Encode_SmallDocument_GnosticFieldNumbersAndYamlValues()
    {
        using var document = JsonDocument.Parse("""
            {"swagger":"2.0","info":{"title":"T","version":"v"},
             "definitions":{"D":{"type":"object","required":["a"],"additionalProperties":false,
               "properties":{"a":{"type":"integer","format":"int32","minimum":1}},
               "x-kubernetes-group-version-kind":[{"group":"","kind":"D","version":"v1"}]}}}
            """);

        var bytes = OpenApiV2Protobuf.Encode(document.RootElement);

        // Assembled field by field from openapiv2/OpenAPIv2.proto: Document.swagger (1), info (2: title 1, version 2),
        // definitions (9) holding one NamedSchema (1: name 1, value 2). Schema: format 2, minimum 9, required 19,
        // additionalProperties 21 (its boolean 2 written though false: a oneof), type 22, properties 25, x- extensions 31
        // as NamedAny (name 1, value 2: Any.yaml 2).
        var schemaA = new ProtoWriter().String(2, "int32").Fixed64(9, 1.0).Message(22, t => t.String(1, "integer"));
        var schemaD = new ProtoWriter()
            .String(19, "a")
            .Message(21, a => a.Bool(2, false))
            .Message(22, t => t.String(1, "object"))
            .Message(25, p => p.Message(1, n => n.String(1, "a").Message(2, schemaA)))
            .Message(31, x => x.String(1, "x-kubernetes-group-version-kind").Message(2, any => any.String(2, "[{\"group\":\"\",\"kind\":\"D\",\"version\":\"v1\"}]\n")));
        var expected = new ProtoWriter()
            .String(1, "2.0")
            .Message(2, i => i.String(1, "T").String(2, "v"))
            .Message(9, d => d.Message(1, n => n.String(1, "D").Message(2, schemaD)))
            .ToArray();
        bytes.Should().Equal(expected);
    }
}
