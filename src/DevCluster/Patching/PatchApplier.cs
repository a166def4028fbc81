using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Patching;

/// <summary>Chooses and applies the patch format named by the request's Content-Type.</summary>
public static class PatchApplier
{
    public const string MergePatch = "application/merge-patch+json";
    public const string JsonPatchType = "application/json-patch+json";
    public const string StrategicPatch = "application/strategic-merge-patch+json";
    public const string ApplyPatch = "application/apply-patch+yaml";

    public static string Normalize(string? contentType) =>
        (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();

    public static JsonObject Apply(ResourceType type, JsonObject current, string contentType, byte[] body)
    {
        JsonNode? patch;
        try
        {
            patch = HttpIo.ParseJson(body);
        }
        catch (JsonException e)
        {
            throw ApiErrors.BadRequest($"the body of the patch is not valid JSON: {e.Message}");
        }
        return contentType switch
        {
            MergePatch => JsonMergePatch.Apply(current, patch) as JsonObject ?? throw ApiErrors.BadRequest("a merge patch must be a JSON object"),
            JsonPatchType => JsonPatch.Apply(current, patch as JsonArray ?? throw ApiErrors.BadRequest("a json patch must be a JSON array of operations")),
            StrategicPatch when type.IsCustom => throw ApiErrors.UnsupportedMediaType(contentType),
            StrategicPatch => StrategicMergePatch.Apply(current, patch as JsonObject ?? throw ApiErrors.BadRequest("a strategic merge patch must be a JSON object"),
                BuiltInSchemas.Instance.DefinitionFor(type.Group, type.Version, type.Kind)),
            _ => throw ApiErrors.UnsupportedMediaType(contentType),
        };
    }
}
