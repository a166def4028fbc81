using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Validation;

/// <summary>
/// What the real server does to namespaces besides the generic rules: the `kubernetes.io/metadata.name` label always
/// equal to the name (selectors such as a NetworkPolicy's namespaceSelector rely on it), the `kubernetes` finalizer in
/// spec.finalizers on create, which the namespace controller removes once the namespace is empty, and the namespaces
/// no one may delete. Pure.
/// </summary>
public static class NamespaceRules
{
    public const string MetadataNameLabel = "kubernetes.io/metadata.name";

    /// <summary>The spec finalizer of the namespace controller (`kubernetes` in spec.finalizers, not metadata.finalizers).</summary>
    public const string KubernetesFinalizer = "kubernetes";

    /// <summary>The NamespaceLifecycle admission plugin's immortal namespaces: deleting one is 403, dry run included.</summary>
    public static bool IsImmortal(string name) => name is "default" or "kube-system" or "kube-public";

    public static bool Applies(ResourceType type) => type.Kind == "Namespace" && type.Group.Length == 0;

    /// <summary>On create: Active, and the `kubernetes` finalizer added to whatever spec finalizers the client sent.</summary>
    public static void PrepareCreate(JsonObject ns)
    {
        ns["status"] = new JsonObject { ["phase"] = "Active" };
        var finalizers = JsonTree.Get(ns, "spec.finalizers") as JsonArray ?? [];
        if (!finalizers.Any(f => JsonTree.ScalarText(f) == KubernetesFinalizer))
        {
            finalizers.Add(KubernetesFinalizer);
        }
        JsonTree.Set(ns, "spec.finalizers", finalizers);
    }

    /// <summary>An update of the namespace itself keeps its spec finalizers: only the finalize subresource changes them.</summary>
    public static void PrepareUpdate(JsonObject old, JsonObject updated)
    {
        if (JsonTree.Get(old, "spec.finalizers") is { } finalizers)
        {
            JsonTree.Set(updated, "spec.finalizers", finalizers.DeepClone());
        }
        else
        {
            JsonTree.Remove(updated, "spec.finalizers");
        }
    }

    /// <summary>The name label, set on every write (the real server defaults it and sets it again after validation).</summary>
    public static void SetNameLabel(JsonObject ns)
    {
        if (JsonTree.GetString(ns, "metadata.name") is { Length: > 0 } name)
        {
            if (JsonTree.Get(ns, "metadata.labels") is not JsonObject labels)
            {
                labels = [];
                JsonTree.Metadata(ns)["labels"] = labels;
            }
            labels[MetadataNameLabel] = name;
        }
    }

    /// <summary>
    /// The spec finalizers a deletion waits for. A namespace stored before the server set them on create has none
    /// recorded; it is given the `kubernetes` one it would have had, so its content is still removed before it goes.
    /// </summary>
    public static JsonArray FinalizersForDeletion(JsonObject ns) =>
        JsonTree.Get(ns, "spec.finalizers") is JsonArray finalizers ? (JsonArray)finalizers.DeepClone() : [KubernetesFinalizer];

    public static bool HasKubernetesFinalizer(JsonObject ns) =>
        (JsonTree.Get(ns, "spec.finalizers") as JsonArray ?? []).Any(f => JsonTree.ScalarText(f) == KubernetesFinalizer);
}
