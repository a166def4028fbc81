using System.Text.Json.Serialization;

namespace RecOperator.Demo.Load;

/// <summary>
/// One pause of the demo's process: when it began on the run's clock, how long, and what came with it: the GC pause
/// time in that span and the thread pool's queue and threads right after.
/// </summary>
public sealed record ProcessStall(
    [property: JsonPropertyName("kind")] StallKind Kind,
    [property: JsonIgnore] TimeSpan At,
    [property: JsonPropertyName("ms")] double Milliseconds,
    [property: JsonPropertyName("gcPauseMs")] double GcPauseMilliseconds,
    [property: JsonPropertyName("queuedWorkItems")] long QueuedWorkItems,
    [property: JsonPropertyName("poolThreads")] int PoolThreads)
{
    [JsonPropertyName("atSeconds")] public double AtSeconds => Math.Round(At.TotalSeconds, 2);

    public override string ToString() =>
        $"{Kind} stall at {At.TotalSeconds:F1} s: {Milliseconds:F0} ms (GC paused {GcPauseMilliseconds:F0} ms; {QueuedWorkItems} work items queued, {PoolThreads} pool threads)";
}
