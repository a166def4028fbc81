using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Tests.Autoscaling;

/// <summary>What the cluster reports running, as the policy tests feed it back.</summary>
internal static class ActualReplicas
{
    /// <summary>Every replica asked for is ready, none pending.</summary>
    public static Dictionary<PlacementKey, ReplicaCounts> AllReady(IReadOnlyDictionary<PlacementKey, int> replicas) =>
        replicas.ToDictionary(r => r.Key, r => new ReplicaCounts(r.Value, 0));
}
