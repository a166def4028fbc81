namespace RecOperator.Operator.Autoscaling;

/// <summary>What the cluster reports for one (variant, pool): pods serving and pods that cannot be scheduled.</summary>
public readonly record struct ReplicaCounts(int Ready, int Pending);
