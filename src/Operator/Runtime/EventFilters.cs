using RecOperator.Kube;

namespace RecOperator.Operator.Runtime;

/// <summary>Pure decisions about which informer events should wake a reconciler.</summary>
public static class EventFilters
{
    /// <summary>
    /// controller-runtime's GenerationChangedPredicate: updates count only when metadata.generation moved (a spec
    /// change) or deletion started, so the controller's own status writes do not loop back into it.
    /// </summary>
    public static bool GenerationChanged<T>(InformerEvent<T> change)
        where T : class, IKubernetesObject =>
        change.Type != InformerEventType.Updated
        || change.Old?.Metadata?.Generation != change.Object.Metadata?.Generation
        || change.Old?.Metadata?.DeletionTimestamp != change.Object.Metadata?.DeletionTimestamp;

    /// <summary>The owner to reconcile when an owned object changes: its controller reference of the given kind.</summary>
    public static ObjectKey? ControllerOwner(IKubernetesObject owned, string ownerApiVersion, string ownerKind)
    {
        var owner = owned.Metadata?.OwnerReferences?.FirstOrDefault(o =>
            o.Controller == true && o.Kind == ownerKind && SameGroup(o.ApiVersion, ownerApiVersion));
        return owner is null ? null : new ObjectKey(owned.Metadata?.Namespace ?? "", owner.Name);
    }

    // The owner's version may differ from the one we serve (v1alpha1 vs v1beta1); the group must match.
    private static bool SameGroup(string apiVersion, string expected) =>
        string.Equals(Group(apiVersion), Group(expected), StringComparison.Ordinal);

    private static string Group(string apiVersion) => apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
}
