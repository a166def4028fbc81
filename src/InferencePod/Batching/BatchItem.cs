using System.Diagnostics;
using RecOperator.InferencePod.Model;
using RecOperator.InferencePod.Protocol;

namespace RecOperator.InferencePod.Batching;

/// <summary>One queued request: its tensors, its deadline and where its outputs go.</summary>
internal sealed class BatchItem(PreparedRequest request, long deadlineTimestamp, CancellationToken cancellation)
{
    public PreparedRequest Request { get; } = request;

    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>When the request was queued (a Stopwatch timestamp), for the time it waited before its batch ran.</summary>
    public long QueuedAt { get; } = Stopwatch.GetTimestamp();

    public TaskCompletionSource<InferTensor[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True when the client gave up or its deadline passed: the item is dropped before it runs.</summary>
    public bool Expired(long now) => Cancellation.IsCancellationRequested || now >= deadlineTimestamp;

    public static long DeadlineAfter(TimeSpan timeout) =>
        Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
}
