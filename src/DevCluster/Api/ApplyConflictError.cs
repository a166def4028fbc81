using System.Text.Json.Nodes;
using RecOperator.DevCluster.Patching;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// The 409 of a server-side apply that would take fields another manager set, worded as kube-apiserver's field
/// manager words it: one conflict on one line (`Apply failed with 1 conflict: conflict with "kubectl-client-side-apply"
/// using apps/v1: .spec.replicas`), several listed under each manager, managers sorted. A manager that wrote with
/// Update is named with the version it used (`using apps/v1`), one that wrote through a subresource with it
/// (`with subresource "scale"`); an applier by name alone. Details carry only the causes, as the real error does.
/// </summary>
public static class ApplyConflictError
{
    public sealed record Conflict(ManagedFields Owner, string Path);

    public static ApiException Of(IReadOnlyCollection<Conflict> conflicts)
    {
        ArgumentNullException.ThrowIfNull(conflicts);
        var ordered = conflicts.OrderBy(c => Manager(c.Owner), StringComparer.Ordinal)
            .ThenBy(c => c.Path, Comparer<string>.Create(FieldPathText.CompareIteration)).ToList();
        var causes = new JsonArray(ordered.Select(c => (JsonNode?)new JsonObject
        {
            ["reason"] = "FieldManagerConflict",
            ["message"] = $"conflict with {Manager(c.Owner)}",
            ["field"] = FieldPathText.Display(c.Path),
        }).ToArray());
        string message;
        if (ordered.Count == 1)
        {
            message = $"Apply failed with 1 conflict: conflict with {Manager(ordered[0].Owner)}: {FieldPathText.Display(ordered[0].Path)}";
        }
        else
        {
            var lines = ordered.GroupBy(c => Manager(c.Owner), StringComparer.Ordinal)
                .SelectMany(g => g.Select(c => $"- {FieldPathText.Display(c.Path)}").Prepend($"conflicts with {g.Key}:"));
            message = $"Apply failed with {ordered.Count} conflicts: {string.Join("\n", lines)}";
        }
        return new ApiException(409, "Conflict", message, new JsonObject { ["causes"] = causes });
    }

    /// <summary>The manager as printManager prints the identity it keys managedFields by (which leaves out the time).</summary>
    private static string Manager(ManagedFields owner)
    {
        var text = Validation.GoText.Quote(owner.Manager);
        if (!string.IsNullOrEmpty(owner.Subresource))
        {
            text += $" with subresource {Validation.GoText.Quote(owner.Subresource)}";
        }
        return owner.Operation == "Update" ? $"{text} using {owner.ApiVersion}" : text;
    }
}
