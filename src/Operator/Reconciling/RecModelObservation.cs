using RecOperator.Kube.Models;
using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Fleet;

namespace RecOperator.Operator.Reconciling;

/// <summary>What one reconcile applied and saw: the input of <see cref="RecModelStatusBuilder"/>.</summary>
/// <param name="Placements">The (variant, pool) pairs that run, with their desired replicas.</param>
/// <param name="Deployments">The model's Deployments as the API server returned them after the apply.</param>
/// <param name="Problems">What the pods and Deployments report as wrong.</param>
/// <param name="Plan">The autoscaler's plan, if it has made one.</param>
public sealed record RecModelObservation(
    IReadOnlyList<VariantPlacement> Placements, IReadOnlyList<V1Deployment> Deployments, WorkloadProblems Problems, FleetPlan? Plan)
{
    /// <summary>(variant, pool) pairs left out because the pool's hardware does not fit the variant (<see cref="HardwareFit"/>).</summary>
    public IReadOnlyList<string> HardwareMismatches { get; init; } = [];

    /// <summary>Children not applied because an object the model does not control has their name.</summary>
    public IReadOnlyList<ChildConflict> Conflicts { get; init; } = [];

    /// <summary>(variant, pool) pairs left out because the NodePool does not exist (<see cref="NodePoolReferences"/>).</summary>
    public IReadOnlyList<PlacementKey> MissingPools { get; init; } = [];

    /// <summary>Variants placed below their minimum because their pools have no free slot (<see cref="PlacementResolver.ShortOfRoom"/>).</summary>
    public IReadOnlyList<string> ShortOfRoom { get; init; } = [];

    /// <summary>Deployments kept in pools their variant is leaving until the replacement is ready (<see cref="PoolDeparture"/>).</summary>
    public IReadOnlyList<LeavingDeployment> Leaving { get; init; } = [];
}
