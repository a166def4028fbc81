namespace RecOperator.Kube.Events;

/// <summary>
/// client-go's event spam filter: a token bucket per (source, object), burst 25, one token back every five minutes.
/// A component that reports the same object over and over (a probe failing every second, a pod that never fits)
/// keeps writing at first and then only every few minutes, so a busy cluster does not flood the API server or the
/// Event store; the series count already folds exact repeats into one Event, this bounds the writes themselves.
/// Pure but for the clock; not thread-safe (one <see cref="EventQueue"/> owns one).
/// </summary>
public sealed class EventSpamFilter(TimeProvider time)
{
    public const int Burst = 25;
    public static readonly TimeSpan Refill = TimeSpan.FromMinutes(5);

    // Past this many objects the buckets are dropped and every object starts full again: memory stays bounded, and
    // forgetting is the lenient direction.
    private const int MaxTracked = 4096;

    private readonly Dictionary<string, (double Tokens, DateTimeOffset At)> _buckets = new(StringComparer.Ordinal);

    /// <summary>True when this occurrence may be written now; false spends nothing.</summary>
    public bool Allow(EventOccurrence occurrence, string source)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        var r = occurrence.Regarding;
        var key = $"{source}/{occurrence.ReportingInstance}/{r.ApiVersion}/{r.Kind}/{r.Namespace}/{r.Name}/{r.Uid}";
        var now = time.GetUtcNow();
        if (_buckets.Count > MaxTracked)
        {
            _buckets.Clear();
        }
        var (tokens, at) = _buckets.TryGetValue(key, out var bucket) ? bucket : (Burst, now);
        tokens = Math.Min(Burst, tokens + ((now - at) / Refill));
        if (tokens < 1)
        {
            _buckets[key] = (tokens, now);
            return false;
        }
        _buckets[key] = (tokens - 1, now);
        return true;
    }
}
