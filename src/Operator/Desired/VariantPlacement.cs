using RecOperator.Crds.Models;

namespace RecOperator.Operator.Desired;

/// <summary>One variant placed in one node pool with the replicas the autoscaler chose for it there.</summary>
public sealed record VariantPlacement(VariantSpec Variant, string PoolName, NodePoolSpec Pool, int Replicas);
