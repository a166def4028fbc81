using RecOperator.Kube.Models;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Whether a Deployment's rollout is still going, by the same tests as `kubectl rollout status`. Counting only the
/// updated replicas called a rollout complete while its new pod crash-looped beside the old one that still served:
/// old pods left over, or updated pods not available, mean it is not. Pure.
/// </summary>
public static class DeploymentRollout
{
    public static bool InProgress(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var status = deployment.Status;
        var updated = status?.UpdatedReplicas ?? 0;
        return (status?.ObservedGeneration ?? 0) < (deployment.Metadata?.Generation ?? 0)
            || updated < (deployment.Spec?.Replicas ?? 1)
            || (status?.Replicas ?? 0) > updated
            || (status?.AvailableReplicas ?? 0) < updated;
    }
}
