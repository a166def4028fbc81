using System.ComponentModel;
using RecOperator.Crds.Schema;

namespace RecOperator.Crds.Models;

/// <summary>Dynamic batching in the inference pods: concurrent requests coalesced into one engine call.</summary>
[Description("Dynamic batching: concurrent requests are coalesced into one engine call.")]
public sealed record BatchingSpec
{
    [Description("Most candidate rows in one engine call.")]
    [Minimum(1)]
    [Maximum(65536)]
    public int MaxBatchSize { get; init; } = 256;

    [Description("Longest time a request waits in the queue for others to join its batch, in microseconds.")]
    [Minimum(0)]
    [Maximum(1000000)]
    public int MaxQueueDelayMicros { get; init; } = 2000;

    [Description("Most requests waiting in a pod's queue; beyond it requests are shed with 429 / RESOURCE_EXHAUSTED.")]
    [Minimum(1)]
    [Maximum(1000000)]
    public int MaxQueueSize { get; init; } = 1024;
}
