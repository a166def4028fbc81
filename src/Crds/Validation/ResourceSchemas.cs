using System.Text.Json.Nodes;
using RecOperator.Crds.Schema;

namespace RecOperator.Crds.Validation;

/// <summary>The structural schemas of the project's resources, built once from the types.</summary>
public static class ResourceSchemas
{
    private static readonly Lazy<JsonObject> RecModelSchema = new(() => StructuralSchemaBuilder.ForResource(typeof(RecModel)));
    private static readonly Lazy<JsonObject> NodePoolSchema = new(() => StructuralSchemaBuilder.ForResource(typeof(NodePool)));

    public static JsonObject RecModel => RecModelSchema.Value;

    public static JsonObject NodePool => NodePoolSchema.Value;
}
