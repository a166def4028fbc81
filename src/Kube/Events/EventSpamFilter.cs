namespace RecOperator.Kube.Events;

/// <summary>
/// client-go's event spam filter: a token bucket per (source, object, type, reason, note) as its spam key has it,
/// burst 25, one token back every five minutes. A component that reports the same thing over and over (a probe
/// failing every second, a mount retried every pass) keeps writing at first and then only every few minutes, so a
/// busy cluster does not flood the API server; the series count already folds those repeats into one Event, this
/// bounds the writes themselves. Different notes (`Created pod: A`, `Created pod: B`) never hold each other back.
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
        var key = $"{source}/{occurrence.ReportingInstance}/{r.ApiVersion}/{r.Kind}/{r.Namespace}/{r.Name}/{r.Uid}/{r.FieldPath}/{occurrence.Type}/{occurrence.Reason}/{occurrence.Note}";
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
