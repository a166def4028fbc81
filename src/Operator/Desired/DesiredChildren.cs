using RecOperator.Kube.Models;

namespace RecOperator.Operator.Desired;

/// <summary>Everything a RecModel should own right now; the reconciler applies these and prunes the rest.</summary>
public sealed record DesiredChildren(
    IReadOnlyList<V1Deployment> Deployments,
    IReadOnlyList<V1Service> Services,
    IReadOnlyList<V1PodDisruptionBudget> PodDisruptionBudgets);
