using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.Crds.Schema;
using RecOperator.Crds.Validation;

namespace RecOperator.Crds;

/// <summary>
/// Reads RecModel and NodePool documents the way the API server stores them: schema defaults applied first, so every
/// defaulted field has its documented value (see <see cref="SchemaDefaulter"/> for why that cannot be left to the
/// property initializers).
/// </summary>
public static class CrdsSerializer
{
    public static RecModel ReadRecModel(JsonObject document) =>
        WithDefaults(document, ResourceSchemas.RecModel).Deserialize(CrdsJsonContext.Default.RecModel)
            ?? throw new JsonException("the RecModel document is null");

    public static NodePool ReadNodePool(JsonObject document) =>
        WithDefaults(document, ResourceSchemas.NodePool).Deserialize(CrdsJsonContext.Default.NodePool)
            ?? throw new JsonException("the NodePool document is null");

    /// <summary>A defaulted copy of the document; the input is left as it was.</summary>
    public static JsonObject WithDefaults(JsonObject document, JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(document);
        var copy = document.DeepClone().AsObject();
        SchemaDefaulter.Apply(copy, schema);
        return copy;
    }
}
