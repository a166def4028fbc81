namespace RecOperator.Operator.Autoscaling;

/// <summary>
/// A pool found full (pods pending): the slots it really had, remembered until a retry time or until the pool's
/// <paramref name="Capacity"/> (what its ready nodes hold, null when unknown) grows past what it was then.
/// </summary>
public readonly record struct PoolLimit(int Slots, DateTimeOffset Until, int? Capacity = null);
