using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;
using RecOperator.DevCluster.Storage;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// kube-apiserver's mutating admission plugins for a pod create, in their order: ServiceAccount (the account defaults
/// to <c>default</c>, and one that does not exist is refused) and DefaultTolerationSeconds (the not-ready and
/// unreachable NoExecute tolerations, 300 s, unless the pod tolerates them already).
/// </summary>
internal static class PodAdmission
{
    public const string DefaultServiceAccount = "default";
    public const long DefaultTolerationSeconds = 300;
    public const string NotReadyTaint = "node.kubernetes.io/not-ready";
    public const string UnreachableTaint = "node.kubernetes.io/unreachable";

    public static bool Applies(ResourceType type) => type is { Kind: "Pod", Group: "", IsCustom: false };

    public static void Admit(ResourceType type, string ns, JsonObject pod, ObjectStore store)
    {
        if (JsonTree.Get(pod, "spec") is not JsonObject spec)
        {
            // Validation names the missing spec.
            return;
        }
        AdmitServiceAccount(type, ns, JsonTree.GetString(pod, "metadata.name") ?? "", spec, store);
        AddDefaultTolerations(spec);
    }

    /// <summary>
    /// The ServiceAccount plugin: like the real one it looks the account up when the pod is created, so a pod may not
    /// name an account that does not exist. The deprecated <c>serviceAccount</c> alias is read when the name is unset
    /// and always written back equal to it, as the v1 conversion does.
    /// </summary>
    private static void AdmitServiceAccount(ResourceType type, string ns, string name, JsonObject spec, ObjectStore store)
    {
        var account = spec["serviceAccountName"]?.GetValue<string>() is { Length: > 0 } named ? named
            : spec["serviceAccount"]?.GetValue<string>() is { Length: > 0 } alias ? alias : DefaultServiceAccount;
        spec["serviceAccountName"] = account;
        spec["serviceAccount"] = account;
        if (store.Get("/serviceaccounts", ns, account) is null)
        {
            throw ApiErrors.Forbidden(type, name, $"error looking up service account {ns}/{account}: serviceaccount \"{account}\" not found");
        }
    }

    private static void AddDefaultTolerations(JsonObject spec)
    {
        var tolerations = spec["tolerations"] as JsonArray ?? [];
        var toleratesNotReady = tolerations.Any(t => Covers(t, NotReadyTaint));
        var toleratesUnreachable = tolerations.Any(t => Covers(t, UnreachableTaint));
        if (!toleratesNotReady)
        {
            tolerations.Add(Toleration(NotReadyTaint));
        }
        if (!toleratesUnreachable)
        {
            tolerations.Add(Toleration(UnreachableTaint));
        }
        spec["tolerations"] = tolerations;
    }

    // As the plugin reads it: an empty key or effect matches any, whatever the operator.
    private static bool Covers(JsonNode? toleration, string key) =>
        (JsonTree.GetString(toleration, "key") is null or "" || JsonTree.GetString(toleration, "key") == key)
        && JsonTree.GetString(toleration, "effect") is null or "" or "NoExecute";

    private static JsonObject Toleration(string key) => new()
    {
        ["key"] = key, ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = DefaultTolerationSeconds,
    };
}
