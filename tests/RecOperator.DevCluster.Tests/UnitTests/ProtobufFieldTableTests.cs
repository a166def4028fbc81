using System.Text.Json;
using RecOperator.DevCluster.Api.Protobuf;
using RecOperator.DevCluster.Patching;

namespace RecOperator.DevCluster.Tests.UnitTests;

/// <summary>
/// The hand-written protobuf field-number table agrees with the official OpenAPI document: every line names a
/// definition and property the document has, a message property leads to a definition the table covers too, and the
/// kinds kubectl's typed create commands send are all there.
/// </summary>
public sealed class ProtobufFieldTableTests
{
    /// <summary>Decoded by their fixed encodings (ProtobufValues), not by the table.</summary>
    private static readonly HashSet<string> FixedEncodings =
    [
        "io.k8s.apimachinery.pkg.apis.meta.v1.Time",
        "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
        "io.k8s.apimachinery.pkg.api.resource.Quantity",
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
        "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
    ];

    private static readonly JsonElement Definitions = BuiltInSchemas.Instance.Definitions;

    [Fact]
    public void Rows_EveryDefinitionAndProperty_ExistInSwagger()
    {
        var missing = ProtobufFieldTable.Instance.Rows
            .Where(r => !Definitions.TryGetProperty(r.Definition, out var definition)
                || !definition.TryGetProperty("properties", out var properties)
                || !properties.TryGetProperty(r.Property, out _))
            .Select(r => $"{r.Definition} {r.Property}")
            .ToList();

        ProtobufFieldTable.Instance.Rows.Should().HaveCountGreaterThan(500);
        missing.Should().BeEmpty();
    }

    [Fact]
    public void Rows_MessageProperties_LeadToDefinitionsTheTableCovers()
    {
        var covered = ProtobufFieldTable.Instance.Rows.Select(r => r.Definition).ToHashSet(StringComparer.Ordinal);

        var dangling = ProtobufFieldTable.Instance.Rows
            .Select(r => (Row: r, Target: ReferencedDefinition(Definitions.GetProperty(r.Definition).GetProperty("properties").GetProperty(r.Property))))
            .Where(x => x.Target is not null && !covered.Contains(x.Target) && !FixedEncodings.Contains(x.Target))
            .Select(x => $"{x.Row.Definition} {x.Row.Property} -> {x.Target}")
            .ToList();

        dangling.Should().BeEmpty();
    }

    [Fact]
    public void Rows_PointerFlag_OnlyOnScalarProperties()
    {
        // A message's presence already says whether it was set; the flag means something only for a zero scalar.
        var misplaced = ProtobufFieldTable.Instance.Rows
            .Where(r => r.Pointer && ReferencedDefinition(Definitions.GetProperty(r.Definition).GetProperty("properties").GetProperty(r.Property)) is not null)
            .Select(r => $"{r.Definition} {r.Property}")
            .ToList();

        misplaced.Should().BeEmpty();
    }

    [Theory]
    [InlineData("io.k8s.api.apps.v1.Deployment")]
    [InlineData("io.k8s.api.core.v1.Service")]
    [InlineData("io.k8s.api.rbac.v1.Role")]
    [InlineData("io.k8s.api.rbac.v1.ClusterRole")]
    [InlineData("io.k8s.api.rbac.v1.RoleBinding")]
    [InlineData("io.k8s.api.rbac.v1.ClusterRoleBinding")]
    [InlineData("io.k8s.api.policy.v1.PodDisruptionBudget")]
    [InlineData("io.k8s.api.core.v1.ConfigMap")]
    [InlineData("io.k8s.api.core.v1.Secret")]
    [InlineData("io.k8s.api.core.v1.Namespace")]
    [InlineData("io.k8s.api.core.v1.ServiceAccount")]
    public void LayoutOf_KindsKubectlCreateSends_AreCovered(string definition)
    {
        var layout = ProtobufFieldTable.Instance.LayoutOf(definition);

        layout.Should().NotBeNull();
        layout!.Find(1)!.Property.Should().Be("metadata", "every kind's field 1 is its ObjectMeta");
    }

    [Fact]
    public void LayoutOf_EmbeddedStruct_NestsItsFieldsUnderTheOuterNumber()
    {
        var volume = ProtobufFieldTable.Instance.LayoutOf("io.k8s.api.core.v1.Volume")!;

        var source = volume.Find(2)!.Embedded!;

        (volume.Find(1)!.Property, source.Find(19)!.Property, source.Name).Should().Be(("name", "configMap", "io.k8s.api.core.v1.Volume field 2"));
    }

    [Theory]
    [InlineData("io.k8s.api.core.v1.Pod metadata")]
    [InlineData("io.k8s.api.core.v1.Pod metadata one")]
    [InlineData("io.k8s.api.core.v1.Pod metadata 0")]
    [InlineData("io.k8s.api.core.v1.Pod metadata 1 optional")]
    [InlineData("io.k8s.api.core.v1.Pod metadata 1\nio.k8s.api.core.v1.Pod spec 1")]
    [InlineData("io.k8s.api.core.v1.Volume name 2\nio.k8s.api.core.v1.Volume hostPath 2.1")]
    public void Parse_BadLine_IsAFormatException(string text)
    {
        var parse = () => ProtobufFieldTable.Parse(text);

        parse.Should().Throw<FormatException>();
    }

    /// <summary>The definition a property's values are messages of: through `$ref`, a single `allOf`, list items and map values.</summary>
    private static string? ReferencedDefinition(JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            return reference.GetString()!.Replace("#/definitions/", "", StringComparison.Ordinal);
        }
        if (schema.TryGetProperty("allOf", out var allOf) && allOf.GetArrayLength() == 1)
        {
            return ReferencedDefinition(allOf[0]);
        }
        if (schema.TryGetProperty("items", out var items))
        {
            return ReferencedDefinition(items);
        }
        return schema.TryGetProperty("additionalProperties", out var values) && values.ValueKind == JsonValueKind.Object ? ReferencedDefinition(values) : null;
    }
}
