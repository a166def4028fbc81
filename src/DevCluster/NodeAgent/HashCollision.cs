using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// A pod-template-hash collision, judged as the deployment controller's getNewReplicaSet judges it when creating the
/// new ReplicaSet finds the name taken: the ReplicaSet there is the Deployment's own only when the Deployment controls
/// it and it runs the Deployment's template (the hash label aside). Anything else is a collision: collisionCount goes
/// up by one, and since the hash mixes it in, the next pass creates the ReplicaSet under a new name.
/// </summary>
public static class HashCollision
{
    public static bool IsOwn(V1Deployment deployment, V1ReplicaSet existing) =>
        ControllerClaims.ControllerOf(existing.Metadata)?.Uid == deployment.Metadata?.Uid
        && existing.Spec?.Template is { } template && PodTemplateEquality.EqualIgnoreHash(template, deployment.Spec!.Template);

    public static int NextCollisionCount(V1DeploymentStatus? status) => (status?.CollisionCount ?? 0) + 1;
}
