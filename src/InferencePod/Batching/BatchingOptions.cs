namespace RecOperator.InferencePod.Batching;

/// <summary>How requests are queued and joined.</summary>
/// <param name="MaxBatchRows">Rows one engine call may hold (1 = no joining).</param>
/// <param name="MaxQueueDelay">How long the first request of a batch waits for company.</param>
/// <param name="MaxQueueRequests">Queue bound; past it requests are shed at once.</param>
/// <param name="Workers">Engine calls in parallel.</param>
public sealed record BatchingOptions(int MaxBatchRows, TimeSpan MaxQueueDelay, int MaxQueueRequests, int Workers);
