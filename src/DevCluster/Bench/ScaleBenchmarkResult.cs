namespace RecOperator.DevCluster.Bench;

/// <summary>What the scale benchmark measured.</summary>
public sealed record ScaleBenchmarkResult(
    int CustomResources, int Deployments, double LoadSeconds, double RssMegabytes, double ManagedHeapMegabytes,
    int Watchers, int Changes, double WatchP50Ms, double WatchP99Ms, double WatchMaxMs, double AfterAckP99Ms, int DeliveredEvents)
{
    public override string ToString() =>
        $"objects: {CustomResources} custom resources + {Deployments} deployments loaded in {LoadSeconds:F1} s (fsync'd log)\n" +
        $"memory: RSS {RssMegabytes:F0} MB (goal < 300), managed heap {ManagedHeapMegabytes:F0} MB\n" +
        $"watch: {Watchers} watchers x {Changes} changes, write-to-delivery p50 {WatchP50Ms:F2} ms, p99 {WatchP99Ms:F2} ms (goal < 50), max {WatchMaxMs:F2} ms\n" +
        $"       (the write itself includes an fsync; delivery measured from the write's acknowledgement: p99 {AfterAckP99Ms:F2} ms)";
}
