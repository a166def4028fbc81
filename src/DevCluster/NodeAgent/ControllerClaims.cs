using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// kube-controller-manager's ControllerRefManager.ClaimObject as a pure function over one owner and the candidates in
/// the cache: an orphan (no controller reference) in the owner's namespace that the selector matches is adopted, unless
/// the owner or the orphan is being deleted; one the owner controls that no longer matches is released, unless the
/// owner is being deleted (then the garbage collector takes it). Objects another controller owns are never touched.
/// </summary>
public sealed record ControllerClaims<T>(IReadOnlyList<T> Adopt, IReadOnlyList<T> Release)
    where T : IKubernetesObject
{
    public static ControllerClaims<T> Compute(V1ObjectMeta owner, V1LabelSelector selector, IEnumerable<T> candidates)
    {
        var matches = ControllerClaims.Selector(selector);
        var ownerDeleting = owner.DeletionTimestamp is not null;
        var adopt = new List<T>();
        var release = new List<T>();
        foreach (var candidate in candidates)
        {
            var meta = candidate.Metadata;
            if (meta is null || meta.Namespace != owner.Namespace)
            {
                continue;
            }
            var matched = matches.Matches(new Dictionary<string, string>(meta.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal));
            var controller = ControllerClaims.ControllerOf(meta);
            if (controller is null && matched && !ownerDeleting && meta.DeletionTimestamp is null)
            {
                adopt.Add(candidate);
            }
            else if (controller is not null && controller.Uid == owner.Uid && !matched && !ownerDeleting)
            {
                release.Add(candidate);
            }
        }
        return new ControllerClaims<T>(adopt, release);
    }
}

/// <summary>The pieces of a claim that do not depend on the kind claimed.</summary>
public static class ControllerClaims
{
    public static V1OwnerReference? ControllerOf(V1ObjectMeta? meta) => meta?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);

    /// <summary>The metadata with the owner's controller reference added (adopt), or null when something already controls it.</summary>
    public static V1ObjectMeta? Adopted(V1ObjectMeta meta, V1OwnerReference owner) =>
        ControllerOf(meta) is not null ? null : meta with { OwnerReferences = [.. meta.OwnerReferences ?? [], owner] };

    /// <summary>The metadata without the owner's reference (release), or null when it no longer has one.</summary>
    public static V1ObjectMeta? Released(V1ObjectMeta meta, string ownerUid) =>
        meta.OwnerReferences?.Any(o => o.Uid == ownerUid) != true ? null : meta with { OwnerReferences = meta.OwnerReferences.Where(o => o.Uid != ownerUid).ToList() is { Count: > 0 } left ? left : null };

    public static LabelSelector Selector(V1LabelSelector selector) =>
        LabelSelector.Of(JsonNode.Parse(JsonSerializer.Serialize(selector, KubeJsonContext.Default.V1LabelSelector))!.AsObject());
}
