using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Validation;

/// <summary>
/// What the apiextensions server checks and sets on a CustomResourceDefinition: the name is plural.group,
/// exactly one storage version, a known scope; status says the names are accepted and the CRD is Established.
/// </summary>
public static class CrdRules
{
    public static IReadOnlyList<FieldError> Validate(JsonObject crd)
    {
        var errors = new List<FieldError>();
        var group = JsonTree.GetString(crd, "spec.group");
        var plural = JsonTree.GetString(crd, "spec.names.plural");
        if (string.IsNullOrEmpty(group))
        {
            errors.Add(FieldError.Required("spec.group"));
        }
        if (string.IsNullOrEmpty(plural))
        {
            errors.Add(FieldError.Required("spec.names.plural"));
        }
        if (string.IsNullOrEmpty(JsonTree.GetString(crd, "spec.names.kind")))
        {
            errors.Add(FieldError.Required("spec.names.kind"));
        }
        var scope = JsonTree.GetString(crd, "spec.scope");
        if (scope is not ("Namespaced" or "Cluster"))
        {
            errors.Add(new FieldError("spec.scope", "FieldValueNotSupported", "supported values: \"Cluster\", \"Namespaced\"", $"\"{scope}\""));
        }
        var name = JsonTree.GetString(crd, "metadata.name");
        if (group is not null && plural is not null && name != $"{plural}.{group}")
        {
            errors.Add(FieldError.Invalid("metadata.name", $"\"{name}\"", "must be spec.names.plural+\".\"+spec.group"));
        }
        var versions = (JsonTree.Get(crd, "spec.versions") as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (versions.Count == 0)
        {
            errors.Add(FieldError.Required("spec.versions", "must have exactly one version marked as storage version"));
        }
        else if (versions.Count(v => v["storage"]?.GetValue<bool>() == true) != 1)
        {
            errors.Add(FieldError.Invalid("spec.versions", "[]", "must have exactly one version marked as storage version"));
        }
        return errors;
    }

    /// <summary>The status the real server converges to at once when nothing conflicts.</summary>
    public static void SetEstablishedStatus(JsonObject crd, DateTimeOffset now)
    {
        var time = ObjectRules.Timestamp(now);
        var storage = (JsonTree.Get(crd, "spec.versions") as JsonArray ?? []).OfType<JsonObject>()
            .Where(v => v["storage"]?.GetValue<bool>() == true).Select(v => (JsonNode?)JsonValue.Create(JsonTree.GetString(v, "name")));
        var previous = (JsonTree.Get(crd, "status.storedVersions") as JsonArray ?? []).Select(v => v?.GetValue<string>());
        var stored = previous.Concat(storage.Select(s => s?.GetValue<string>())).Distinct().Select(s => (JsonNode?)JsonValue.Create(s));
        crd["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", time),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", time)),
            ["acceptedNames"] = JsonTree.Get(crd, "spec.names")?.DeepClone(),
            ["storedVersions"] = new JsonArray(stored.ToArray()),
        };
    }

    private static JsonObject Condition(string type, string reason, string message, string time) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = time,
        ["reason"] = reason,
        ["message"] = message,
    };
}
