using RecOperator.Crds;
using RecOperator.Kube.Models;

namespace RecOperator.Operator.Desired;

/// <summary>
/// A PodDisruptionBudget for a variant's Deployment in a pool that runs more than one replica: voluntary
/// disruptions (node drains, upgrades) take at most one pod at a time.
/// </summary>
public static class PodDisruptionBudgetBuilder
{
    /// <returns>The budget, or null when <paramref name="replicas"/> is 1 or less (a budget would block every drain).</returns>
    public static V1PodDisruptionBudget? Build(RecModel model, string variant, string pool, int replicas)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (replicas <= 1)
        {
            return null;
        }

        var name = model.Metadata?.Name ?? throw new ArgumentException("the RecModel has no name", nameof(model));
        return new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta
            {
                Name = ChildNames.PodDisruptionBudget(name, variant, pool),
                Namespace = model.Metadata.Namespace,
                Labels = ChildLabels.For(name, variant, pool),
                OwnerReferences = [OwnerReferences.ControllerOf(model)],
            },
            Spec = new V1PodDisruptionBudgetSpec
            {
                MaxUnavailable = 1,
                Selector = new V1LabelSelector { MatchLabels = ChildLabels.Selector(name, variant, pool) },
            },
        };
    }
}
