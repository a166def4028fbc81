namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// Per-object exponential backoff after failed passes, as the controllers' rate-limited work queue gives it: an object
/// whose pods could not be created or deleted is not retried before its delay (doubling per failure, capped) is up,
/// so a refused template does not hot-loop on every wake of the node agent. A success forgets the object; so does a
/// new generation (the real queue takes a spec update at once).
/// </summary>
public sealed class FailureBackoff(TimeProvider time)
{
    public static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(2);

    private readonly Dictionary<string, (long Generation, int Failures, DateTimeOffset NotBefore)> _failing = new(StringComparer.Ordinal);

    /// <summary>The delay after <paramref name="failures"/> failures in a row (at least one).</summary>
    public static TimeSpan Delay(int failures) =>
        failures >= 20 ? MaxDelay : TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, BaseDelay.Ticks << (failures - 1)));

    public bool IsReady(string uid, long generation) =>
        !_failing.TryGetValue(uid, out var entry) || entry.Generation != generation || time.GetUtcNow() >= entry.NotBefore;

    public void Record(string uid, long generation, bool succeeded)
    {
        if (succeeded)
        {
            _failing.Remove(uid);
            return;
        }
        var failures = _failing.TryGetValue(uid, out var entry) && entry.Generation == generation ? entry.Failures + 1 : 1;
        _failing[uid] = (generation, failures, time.GetUtcNow() + Delay(failures));
    }
}
