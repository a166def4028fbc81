namespace RecOperator.Observability;

/// <summary>
/// Up to four tags as a value, so a measurement finds its series without rendering label text (no allocation on
/// the hot path). Order-sensitive: the same tags in another order are another key that maps to the same series.
/// </summary>
internal readonly struct TagSetKey : IEquatable<TagSetKey>
{
    public const int MaxTags = 4;

    private readonly KeyValuePair<string, object?> _t0;
    private readonly KeyValuePair<string, object?> _t1;
    private readonly KeyValuePair<string, object?> _t2;
    private readonly KeyValuePair<string, object?> _t3;
    private readonly int _count;

    private TagSetKey(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        _count = tags.Length;
        _t0 = tags.Length > 0 ? tags[0] : default;
        _t1 = tags.Length > 1 ? tags[1] : default;
        _t2 = tags.Length > 2 ? tags[2] : default;
        _t3 = tags.Length > 3 ? tags[3] : default;
    }

    public static bool TryCreate(ReadOnlySpan<KeyValuePair<string, object?>> tags, out TagSetKey key)
    {
        key = tags.Length <= MaxTags ? new TagSetKey(tags) : default;
        return tags.Length <= MaxTags;
    }

    public bool Equals(TagSetKey other) =>
        _count == other._count && Same(_t0, other._t0) && Same(_t1, other._t1) && Same(_t2, other._t2) && Same(_t3, other._t3);

    public override bool Equals(object? obj) => obj is TagSetKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_count, Hash(_t0), Hash(_t1), Hash(_t2), Hash(_t3));

    private static bool Same(KeyValuePair<string, object?> a, KeyValuePair<string, object?> b) =>
        string.Equals(a.Key, b.Key, StringComparison.Ordinal) && Equals(a.Value, b.Value);

    private static int Hash(KeyValuePair<string, object?> tag) =>
        HashCode.Combine(tag.Key is null ? 0 : StringComparer.Ordinal.GetHashCode(tag.Key), tag.Value?.GetHashCode() ?? 0);
}
