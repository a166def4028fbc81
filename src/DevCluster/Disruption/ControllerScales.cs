using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;
using RecOperator.DevCluster.Storage;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Disruption;

/// <summary>
/// The disruption controller's finders: each pod's controller and the replicas it wants, summed once per controller.
/// A ReplicaSet that a Deployment controls stands for that Deployment (whose scale is the one users set); any other
/// controller counts when its kind has a scale subresource (custom workloads included), read at its spec path. Pure
/// over a snapshot.
/// </summary>
public static class ControllerScales
{
    public static ExpectedScale Of(StoreState snapshot, ResourceRegistry registry, string ns, IReadOnlyList<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(registry);
        var replicasByController = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            var name = pod.Metadata?.Name;
            if (pod.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true) is not { } owner)
            {
                return ExpectedScale.Failed($"found no controller ref for pod \"{name}\"");
            }
            if (Controller(snapshot, registry, ns, owner) is not { } found)
            {
                return ExpectedScale.Failed($"found no controllers for pod \"{name}\"");
            }
            if (found.Kind == "ReplicaSet" && found.Meta.OwnerReferences?.FirstOrDefault(o => o.Controller == true && o.Kind == "Deployment") is { } parent
                && Controller(snapshot, registry, ns, parent) is { } deployment)
            {
                found = deployment;
            }
            replicasByController[found.Meta.Uid ?? ""] = found.Replicas;
        }
        return new ExpectedScale(replicasByController.Values.Sum(), null);
    }

    /// <summary>A controller found by its reference: same uid, a kind with a scale; null otherwise.</summary>
    private sealed record Found(string Kind, V1ObjectMeta Meta, int Replicas);

    private static Found? Controller(StoreState snapshot, ResourceRegistry registry, string ns, V1OwnerReference owner)
    {
        if (registry.FindByKind(owner.ApiVersion, owner.Kind) is not { Scale: { } scale } type
            || !snapshot.Of(type.StorageKey).TryGetValue(StoredObject.KeyOf(ns, owner.Name), out var stored))
        {
            return null;
        }
        var obj = stored.Parse();
        var meta = obj["metadata"]?.Deserialize(KubeJsonContext.Default.V1ObjectMeta);
        if (meta?.Uid != owner.Uid)
        {
            return null;
        }
        // An unset replica count is 1, the default every built-in workload gets.
        var replicas = JsonTree.Get(obj, scale.SpecReplicasPath) is JsonValue value && value.TryGetValue<long>(out var n) ? (int)n : 1;
        return new Found(owner.Kind, meta, replicas);
    }
}
