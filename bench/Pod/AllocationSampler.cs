using System.Diagnostics.Tracing;
using System.Globalization;

namespace RecOperator.Bench.Pod;

/// <summary>
/// An allocation profile from inside the process: the runtime's GCAllocationTick events (one about every 100 KB
/// allocated, naming the type that crossed the mark) summed by type. Sampled, and it sees the in-process load
/// generator's allocations beside the pod's, so it ranks types; it does not attribute bytes to code.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Dictionary<string, long> _bytesByType = new(StringComparer.Ordinal);

    /// <summary>Sampled bytes by type name, largest first.</summary>
    public IReadOnlyList<(string Type, long Bytes)> Ranked()
    {
        lock (_bytesByType)
        {
            return [.. _bytesByType.OrderByDescending(p => p.Value).Select(p => (p.Key, p.Value))];
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.PayloadNames is not { } names
            || eventData.Payload is not { } payload)
        {
            return;
        }
        var type = payload[names.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(payload[names.IndexOf("AllocationAmount64")], CultureInfo.InvariantCulture);
        lock (_bytesByType)
        {
            _bytesByType[type] = _bytesByType.GetValueOrDefault(type) + amount;
        }
    }
}
