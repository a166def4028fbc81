namespace RecOperator.Operator.Runtime;

/// <summary>Decides how long a key waits before it is retried (client-go's workqueue.RateLimiter).</summary>
public interface IRateLimiter<in TKey>
{
    /// <summary>The delay for this retry of <paramref name="key"/>; each call counts as one more failure.</summary>
    TimeSpan When(TKey key);

    /// <summary>The key succeeded: its failure history is cleared.</summary>
    void Forget(TKey key);

    int Failures(TKey key);
}
