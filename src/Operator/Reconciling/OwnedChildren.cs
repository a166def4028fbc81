using RecOperator.Kube.Models;
using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Desired;

namespace RecOperator.Operator.Reconciling;

/// <summary>Which listed objects belong to a model: its labels select them, and its uid is their controller. Pure.</summary>
public static class OwnedChildren
{
    /// <summary>The label selector that finds a model's children (narrowed by owner reference afterwards).</summary>
    public static string Selector(string model) => $"{ChildLabels.Model}={model},{ChildLabels.ManagedBy}={ChildLabels.Manager}";

    /// <summary>True when the object's controller reference is the model with this uid.</summary>
    public static bool IsControlledBy(V1ObjectMeta? metadata, string modelUid) =>
        metadata?.OwnerReferences?.Any(o => o.Controller == true && o.Uid == modelUid) == true;

    /// <summary>The owned objects whose names are not wanted any more: the ones to prune.</summary>
    public static IEnumerable<V1ObjectMeta> Unwanted(IEnumerable<V1ObjectMeta?> listed, string modelUid, IReadOnlySet<string> wanted) =>
        listed.OfType<V1ObjectMeta>().Where(m => IsControlledBy(m, modelUid) && m.Name is { } name && !wanted.Contains(name));

    /// <summary>The (variant, pool) a Deployment or budget serves, from its labels.</summary>
    public static PlacementKey PlacementOf(V1ObjectMeta? metadata)
    {
        var labels = metadata?.Labels;
        string Label(string key) => labels is not null && labels.TryGetValue(key, out var value) ? value : "";
        return new PlacementKey(Label(ChildLabels.Variant), Label(ChildLabels.Pool));
    }
}
