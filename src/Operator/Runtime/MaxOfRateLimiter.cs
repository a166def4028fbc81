namespace RecOperator.Operator.Runtime;

/// <summary>The longest delay of several limiters: per-key backoff and the overall bucket together.</summary>
public sealed class MaxOfRateLimiter<TKey>(params IRateLimiter<TKey>[] limiters) : IRateLimiter<TKey>
    where TKey : notnull
{
    /// <summary>controller-runtime's default: 5 ms..1000 s per key, and 10 qps / burst 100 overall.</summary>
    public static MaxOfRateLimiter<TKey> ControllerDefault(TimeProvider time) =>
        new(new ExponentialFailureRateLimiter<TKey>(), new TokenBucketRateLimiter<TKey>(10, 100, time));

    public TimeSpan When(TKey key) => limiters.Select(l => l.When(key)).Max();

    public void Forget(TKey key)
    {
        foreach (var limiter in limiters)
        {
            limiter.Forget(key);
        }
    }

    public int Failures(TKey key) => limiters.Max(l => l.Failures(key));
}
