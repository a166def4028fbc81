using System.Text.Json.Nodes;

namespace RecOperator.Kube.Client;

/// <summary>A patch body with its format and, for server-side apply, the field manager.</summary>
public sealed record KubePatch(PatchType Type, string Body, string? FieldManager = null, bool Force = false)
{
    public static KubePatch Merge(JsonNode patch) => new(PatchType.Merge, patch.ToJsonString());

    /// <summary>A JSON patch: an array of <c>{"op", "path", "value"}</c> operations.</summary>
    public static KubePatch Json(JsonArray operations) => new(PatchType.Json, operations.ToJsonString());

    /// <summary>
    /// Server-side apply of the fields this manager owns. <paramref name="force"/> takes fields another manager
    /// owns instead of failing with a conflict, which is what a controller that is the sole owner wants.
    /// </summary>
    public static KubePatch Apply(JsonNode intent, string fieldManager, bool force = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(fieldManager);
        return new(PatchType.Apply, intent.ToJsonString(), fieldManager, force);
    }

    internal string ContentType => Type switch
    {
        PatchType.Merge => "application/merge-patch+json",
        PatchType.Json => "application/json-patch+json",
        _ => "application/apply-patch+yaml",
    };

    internal QueryString ToQuery() =>
        new QueryString().Add("fieldManager", FieldManager).Add("force", Type == PatchType.Apply && Force ? "true" : null);
}
