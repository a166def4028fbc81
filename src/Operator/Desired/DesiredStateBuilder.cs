using RecOperator.Crds;
using RecOperator.Kube.Models;

namespace RecOperator.Operator.Desired;

/// <summary>The desired children of a RecModel for a placement: a pure function, tested with golden files.</summary>
public static class DesiredStateBuilder
{
    public static DesiredChildren Build(RecModel model, IReadOnlyList<VariantPlacement> placements, OperatorImages images)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(placements);
        var deployments = placements
            .Select(p => DeploymentBuilder.Build(model, p.Variant, p.PoolName, p.Pool, images))
            .ToList();
        // A variant keeps its Service while it has any placement, so clients keep one stable address per variant.
        var services = new List<V1Service> { ServiceBuilder.Model(model) };
        services.AddRange(placements.Select(p => p.Variant.Name).Distinct(StringComparer.Ordinal).Select(v => ServiceBuilder.Variant(model, v)));
        var budgets = placements
            .Select(p => PodDisruptionBudgetBuilder.Build(model, p.Variant.Name, p.PoolName, p.Replicas))
            .OfType<V1PodDisruptionBudget>()
            .ToList();
        return new DesiredChildren(deployments, services, budgets);
    }
}
