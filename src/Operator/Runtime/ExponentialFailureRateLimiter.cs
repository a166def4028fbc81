namespace RecOperator.Operator.Runtime;

/// <summary>Per-key backoff: base * 2^failures, capped (client-go's default is 5 ms to 1000 s).</summary>
public sealed class ExponentialFailureRateLimiter<TKey>(TimeSpan baseDelay, TimeSpan maxDelay) : IRateLimiter<TKey>
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, int> _failures = [];

    public ExponentialFailureRateLimiter()
        : this(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000))
    {
    }

    public TimeSpan When(TKey key)
    {
        int exponent;
        lock (_gate)
        {
            exponent = _failures.GetValueOrDefault(key);
            _failures[key] = exponent + 1;
        }

        // Beyond 2^40 the cap has long been reached; this also keeps the multiplication from overflowing.
        var delay = baseDelay.Ticks * Math.Pow(2, Math.Min(exponent, 40));
        return delay >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)delay);
    }

    public void Forget(TKey key)
    {
        lock (_gate)
        {
            _failures.Remove(key);
        }
    }

    public int Failures(TKey key)
    {
        lock (_gate)
        {
            return _failures.GetValueOrDefault(key);
        }
    }
}
