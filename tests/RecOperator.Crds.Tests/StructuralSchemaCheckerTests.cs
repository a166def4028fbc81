using System.Text.Json.Nodes;
using RecOperator.Crds.Schema;

namespace RecOperator.Crds.Tests;

/// <summary>The structural check catches each way a schema can break the rules (so the CRD test can fail).</summary>
public sealed class StructuralSchemaCheckerTests
{
    [Theory]
    [InlineData("""{"type":"object","properties":{"a":{"description":"no type"}}}""", "properties.a: type is missing")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"object","properties":{},"additionalProperties":{"type":"string"}}}}""", "properties.a: properties and additionalProperties are mutually exclusive")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","anyOf":[{"type":"string"}]}}}""", "properties.a: anyOf is only allowed as the int-or-string pattern")]
    [InlineData("""{"type":"object","properties":{"metadata":{"type":"object","properties":{"labels":{"type":"object"}}}}}""", "properties.metadata: only 'type: object' is allowed for metadata")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"integer","minimum":1,"default":0}}}""", "properties.a: default is invalid: (document): must be >= 1 (got 0)")]
    [InlineData("""{"type":"object","properties":{"l":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],"items":{"type":"object","properties":{"name":{"type":"string"}}}}}}""", "properties.l: list-map key \"name\" must be a required field of the items")]
    [InlineData("""{"type":"object","properties":{"s":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"object"}}}}""", "properties.s: x-kubernetes-list-type: set needs scalar items")]
    [InlineData("""{"type":"object","properties":{"a":{"$ref":"#/definitions/x","type":"object"}}}""", "properties.a: $ref is not allowed")]
    [InlineData("""{"type":"thing"}""", "(root): type \"thing\" is not an OpenAPI type")]
    public void Check_BrokenSchema_ReportsTheViolation(string schema, string expected)
    {
        StructuralSchemaChecker.Check(JsonNode.Parse(schema)!.AsObject()).Should().Contain(expected);
    }

    [Fact]
    public void Check_IntOrStringAndPreserveUnknown_AreAllowedWithoutType()
    {
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{
              "q":{"anyOf":[{"type":"integer"},{"type":"string"}],"x-kubernetes-int-or-string":true},
              "raw":{"x-kubernetes-preserve-unknown-fields":true}}}
            """)!.AsObject();

        StructuralSchemaChecker.Check(schema).Should().BeEmpty();
    }
}
