namespace RecOperator.Operator.Runtime;

public sealed record ControllerOptions
{
    /// <summary>Reconciles that may run at once, each on a different key.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Per-key and overall retry limits; null uses controller-runtime's defaults.</summary>
    public IRateLimiter<ObjectKey>? RateLimiter { get; init; }
}
