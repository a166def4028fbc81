namespace RecOperator.Crds.Schema;

/// <summary>The OpenAPI v3 / Kubernetes structural-schema keywords the builder and validator use, spelled once.</summary>
internal static class SchemaKeywords
{
    public const string Type = "type";
    public const string Format = "format";
    public const string Description = "description";
    public const string Properties = "properties";
    public const string AdditionalProperties = "additionalProperties";
    public const string Items = "items";
    public const string Required = "required";
    public const string Enum = "enum";
    public const string Default = "default";
    public const string Minimum = "minimum";
    public const string Maximum = "maximum";
    public const string ExclusiveMinimum = "exclusiveMinimum";
    public const string Pattern = "pattern";
    public const string MaxLength = "maxLength";
    public const string MinItems = "minItems";
    public const string MaxItems = "maxItems";
    public const string AnyOf = "anyOf";
    public const string IntOrString = "x-kubernetes-int-or-string";
    public const string PreserveUnknownFields = "x-kubernetes-preserve-unknown-fields";
    public const string ListType = "x-kubernetes-list-type";
    public const string ListMapKeys = "x-kubernetes-list-map-keys";
    public const string Validations = "x-kubernetes-validations";
    public const string Rule = "rule";
    public const string Message = "message";
    public const string FieldPath = "fieldPath";

    public const string Object = "object";
    public const string Array = "array";
    public const string String = "string";
    public const string Integer = "integer";
    public const string Number = "number";
    public const string Boolean = "boolean";

    /// <summary>The pattern Kubernetes' own CRDs use for resource quantities ("500m", "2Gi", "1.5").</summary>
    public const string QuantityPattern =
        "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";
}
