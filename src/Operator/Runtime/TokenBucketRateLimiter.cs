namespace RecOperator.Operator.Runtime;

/// <summary>
/// An overall limit over all keys (client-go's BucketRateLimiter, 10 qps with a burst of 100): each retry
/// reserves a token, and waits until that token will have been refilled.
/// </summary>
public sealed class TokenBucketRateLimiter<TKey>(double tokensPerSecond, int burst, TimeProvider time) : IRateLimiter<TKey>
{
    private readonly Lock _gate = new();
    private double _tokens = burst;
    private long _last = time.GetTimestamp();

    public TimeSpan When(TKey key)
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + (time.GetElapsedTime(_last, now).TotalSeconds * tokensPerSecond));
            _last = now;
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / tokensPerSecond);
        }
    }

    public void Forget(TKey key)
    {
    }

    public int Failures(TKey key) => 0;
}
