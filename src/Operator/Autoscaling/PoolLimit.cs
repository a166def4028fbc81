namespace RecOperator.Operator.Autoscaling;

/// <summary>
/// A pool found full (pods pending): the slots it really had, remembered until a retry time or until the pool's
/// <paramref name="Capacity"/> (what its ready nodes hold, null when unknown) grows past what it was then. Past the retry
/// time it stays known as lapsed, so a retry that finds the pool full again waits twice as long
/// (<paramref name="Strikes"/>: how many times in a row it was found full).
/// </summary>
public readonly record struct PoolLimit(int Slots, DateTimeOffset Until, int? Capacity = null, int Strikes = 1)
{
    public bool ActiveAt(DateTimeOffset now) => Until > now;
}
