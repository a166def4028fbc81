using System.Globalization;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Validation;

/// <summary>
/// What an update of a pod may change in its spec, as the real server's pod update validation allows it (v1.32,
/// in-place resize off): the containers' and init containers' images, activeDeadlineSeconds (set, or lowered),
/// tolerations (added, or an existing one's tolerationSeconds), scheduling gates (removed) and, while gated, the node
/// selector and affinity. Anything else, spec.nodeName included (a scheduler binds through the pod's binding
/// subresource), is Forbidden at `spec` with the fields that differ. Pure.
/// </summary>
public static class PodUpdateRules
{
    private const string Updatable = "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
        + "`spec.tolerations` (only additions to existing tolerations),"
        + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    public static IEnumerable<FieldError> Validate(JsonObject old, JsonObject updated)
    {
        var oldSpec = JsonTree.Get(old, "spec") as JsonObject ?? [];
        var newSpec = JsonTree.Get(updated, "spec") as JsonObject ?? [];
        var errors = new List<FieldError>();
        ActiveDeadline(oldSpec, newSpec, errors);
        Tolerations(oldSpec, newSpec, errors);
        SchedulingGates(oldSpec, newSpec, errors);
        var differing = Differences(oldSpec, Munged(oldSpec, newSpec), "spec").ToList();
        if (differing.Count > 0)
        {
            errors.Add(new FieldError("spec", "FieldValueForbidden", $"pod updates may not change fields other than {Updatable}\n  {string.Join("\n  ", differing)}"));
        }
        return errors;
    }

    /// <summary>The new spec with every field an update may change put back to its old value, to compare with the old spec.</summary>
    private static JsonObject Munged(JsonObject oldSpec, JsonObject newSpec)
    {
        var munged = JsonTree.Clone(newSpec);
        foreach (var list in new[] { "containers", "initContainers" })
        {
            var oldContainers = oldSpec[list] as JsonArray ?? [];
            var newContainers = munged[list] as JsonArray ?? [];
            for (var i = 0; i < Math.Min(oldContainers.Count, newContainers.Count); i++)
            {
                if (newContainers[i] is JsonObject container)
                {
                    container["image"] = oldContainers[i]?["image"]?.DeepClone();
                }
            }
        }
        var copied = new List<string> { "activeDeadlineSeconds", "tolerations", "schedulingGates" };
        if ((oldSpec["schedulingGates"] as JsonArray ?? []).Count > 0)
        {
            copied.AddRange(["nodeSelector", "affinity"]);
        }
        if (JsonTree.GetLong(oldSpec, "terminationGracePeriodSeconds") is < 0 && JsonTree.GetLong(newSpec, "terminationGracePeriodSeconds") == 1)
        {
            copied.Add("terminationGracePeriodSeconds");
        }
        foreach (var field in copied)
        {
            munged.Remove(field);
            if (oldSpec[field] is { } value)
            {
                munged[field] = value.DeepClone();
            }
        }
        return munged;
    }

    private static void ActiveDeadline(JsonObject oldSpec, JsonObject newSpec, List<FieldError> errors)
    {
        var before = JsonTree.GetLong(oldSpec, "activeDeadlineSeconds");
        var after = JsonTree.GetLong(newSpec, "activeDeadlineSeconds");
        if (after is { } value && before is { } previous && value > previous)
        {
            errors.Add(FieldError.Invalid("spec.activeDeadlineSeconds", value.ToString(CultureInfo.InvariantCulture), "must be less than or equal to previous value"));
        }
        else if (after is null && before is not null)
        {
            errors.Add(FieldError.Invalid("spec.activeDeadlineSeconds", "null", "must not update from a positive integer to nil value"));
        }
    }

    /// <summary>Each old toleration must still be there, unchanged but for its tolerationSeconds.</summary>
    private static void Tolerations(JsonObject oldSpec, JsonObject newSpec, List<FieldError> errors)
    {
        var kept = (newSpec["tolerations"] as JsonArray ?? []).Select(WithoutSeconds).ToList();
        if ((oldSpec["tolerations"] as JsonArray ?? []).Select(WithoutSeconds).Any(t => !kept.Any(k => JsonNode.DeepEquals(k, t))))
        {
            errors.Add(new FieldError("spec.tolerations", "FieldValueForbidden", "existing toleration can not be modified except its tolerationSeconds"));
        }
    }

    private static JsonNode? WithoutSeconds(JsonNode? toleration)
    {
        if (toleration?.DeepClone() is not JsonObject copy)
        {
            return toleration;
        }
        copy.Remove("tolerationSeconds");
        return copy;
    }

    private static void SchedulingGates(JsonObject oldSpec, JsonObject newSpec, List<FieldError> errors)
    {
        var before = (oldSpec["schedulingGates"] as JsonArray ?? []).Select(g => JsonTree.GetString(g, "name")).ToHashSet();
        foreach (var gate in (newSpec["schedulingGates"] as JsonArray ?? []).Select(g => JsonTree.GetString(g, "name")).Where(g => !before.Contains(g)))
        {
            errors.Add(new FieldError("spec.schedulingGates", "FieldValueForbidden", $"only deletion is allowed, but found new scheduling gate '{gate}'"));
        }
    }

    /// <summary>The paths where two spec trees differ, each with both values, for the Forbidden message.</summary>
    private static IEnumerable<string> Differences(JsonNode? before, JsonNode? after, string path)
    {
        if (before is JsonObject a && after is JsonObject b)
        {
            foreach (var key in a.Select(p => p.Key).Union(b.Select(p => p.Key)).Order(StringComparer.Ordinal))
            {
                foreach (var difference in Differences(a[key], b[key], $"{path}.{key}"))
                {
                    yield return difference;
                }
            }
        }
        else if (before is JsonArray x && after is JsonArray y && x.Count == y.Count)
        {
            for (var i = 0; i < x.Count; i++)
            {
                foreach (var difference in Differences(x[i], y[i], $"{path}[{i}]"))
                {
                    yield return difference;
                }
            }
        }
        else if (!JsonNode.DeepEquals(before, after))
        {
            yield return $"{path}: {before?.ToJsonString() ?? "null"} -> {after?.ToJsonString() ?? "null"}";
        }
    }
}
