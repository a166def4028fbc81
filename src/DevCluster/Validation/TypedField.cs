namespace RecOperator.DevCluster.Validation;

/// <summary>
/// One type of the official OpenAPI v2 document, compiled for decoding (<see cref="TypedSchemas"/>): its shape, the
/// type of its items or map values, and a struct's fields. Definitions refer to each other (and to themselves, as
/// JSONSchemaProps does), so instances are created first and filled in afterwards; they do not change after that.
/// </summary>
public sealed class TypedField(string typeName)
{
    private static readonly IReadOnlyDictionary<string, TypedField> NoFields = new Dictionary<string, TypedField>();

    /// <summary>The name messages use: the definition's short name (DeploymentSpec) or the scalar (int32, string).</summary>
    public string TypeName { get; internal set; } = typeName;

    /// <summary>The document's definition this type was compiled from (io.k8s.api.apps.v1.DeploymentSpec); null for an inline schema.</summary>
    public string? Definition { get; internal set; }

    public FieldShape Shape { get; internal set; }

    /// <summary>A list's items or a map's values.</summary>
    public TypedField? Element { get; internal set; }

    public IReadOnlyDictionary<string, TypedField> Fields { get; internal set; } = NoFields;

    /// <summary>Fields the document marks required (its Go fields without omitempty); the decode itself does not need them.</summary>
    public IReadOnlyList<string> Required { get; internal set; } = [];

    /// <summary>A struct whose other keys belong to someone else (a custom resource's body, which its CRD schema prunes).</summary>
    public bool KeepsOtherFields { get; internal set; }

    /// <summary>The smallest and largest value of an integer field (int32 or int64).</summary>
    public long Minimum { get; internal set; } = long.MinValue;

    public long Maximum { get; internal set; } = long.MaxValue;
}
