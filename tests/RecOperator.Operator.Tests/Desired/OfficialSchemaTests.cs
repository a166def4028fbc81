using System.Text.Json.Nodes;
using RecOperator.Tests.Shared;

namespace RecOperator.Operator.Tests.Desired;

/// <summary>The official-schema check used on built objects catches what it must (so those tests can fail).</summary>
public sealed class OfficialSchemaTests
{
    [Theory]
    [InlineData("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"portz":[]}}""", "spec.portz: unknown field")]
    [InlineData("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[{"port":"http"}]}}""", "spec.ports[0].port must be an integer (int32), not \"http\"")]
    [InlineData("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"template":{}}}""", "spec.selector: required field is missing")]
    [InlineData("""{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","spec":{"maxUnavailable":true}}""", "spec.maxUnavailable must be an integer (int32) or a string, not true")]
    [InlineData("""{"apiVersion":"v9","kind":"Thing"}""", "no definition for v9/Thing")]
    public void Validate_BrokenObject_ReportsTheViolation(string json, string expected)
    {
        OfficialSchema.Load().Validate(JsonNode.Parse(json)!).Should().Contain(expected);
    }
}
