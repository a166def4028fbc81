namespace RecOperator.Operator.Autoscaling;

/// <summary>A pool found full (pods pending): the slots it really had, remembered until a retry time.</summary>
public readonly record struct PoolLimit(int Slots, DateTimeOffset Until);
