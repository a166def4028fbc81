namespace RecOperator.Observability;

/// <summary>
/// Up to eight tags as a value, so a measurement finds its series without rendering label text (no allocation on
/// the hot path). Order-sensitive: the same tags in another order are another key that maps to the same series.
/// Eight, not four: ASP.NET Core's http.server.request.duration carries five or six tags on every request, and
/// rendering its labels per request was a measurable share of the inference pod's CPU.
/// </summary>
internal readonly struct TagSetKey : IEquatable<TagSetKey>
{
    public const int MaxTags = 8;

    private readonly KeyValuePair<string, object?> _t0;
    private readonly KeyValuePair<string, object?> _t1;
    private readonly KeyValuePair<string, object?> _t2;
    private readonly KeyValuePair<string, object?> _t3;
    private readonly KeyValuePair<string, object?> _t4;
    private readonly KeyValuePair<string, object?> _t5;
    private readonly KeyValuePair<string, object?> _t6;
    private readonly KeyValuePair<string, object?> _t7;
    private readonly int _count;

    private TagSetKey(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        _count = tags.Length;
        _t0 = tags.Length > 0 ? tags[0] : default;
        _t1 = tags.Length > 1 ? tags[1] : default;
        _t2 = tags.Length > 2 ? tags[2] : default;
        _t3 = tags.Length > 3 ? tags[3] : default;
        _t4 = tags.Length > 4 ? tags[4] : default;
        _t5 = tags.Length > 5 ? tags[5] : default;
        _t6 = tags.Length > 6 ? tags[6] : default;
        _t7 = tags.Length > 7 ? tags[7] : default;
    }

    public static bool TryCreate(ReadOnlySpan<KeyValuePair<string, object?>> tags, out TagSetKey key)
    {
        key = tags.Length <= MaxTags ? new TagSetKey(tags) : default;
        return tags.Length <= MaxTags;
    }

    public bool Equals(TagSetKey other) =>
        _count == other._count && Same(_t0, other._t0) && Same(_t1, other._t1) && Same(_t2, other._t2) && Same(_t3, other._t3)
        && Same(_t4, other._t4) && Same(_t5, other._t5) && Same(_t6, other._t6) && Same(_t7, other._t7);

    public override bool Equals(object? obj) => obj is TagSetKey other && Equals(other);

    /// <summary>
    /// Equal by reference alone: the same tag name and value objects in the same order. Cheaper than <see cref="Equals(TagSetKey)"/>
    /// and never wrong when true; false only means "compare properly".
    /// </summary>
    public bool SameObjects(in TagSetKey other) =>
        _count == other._count && Identical(_t0, other._t0) && Identical(_t1, other._t1) && Identical(_t2, other._t2) && Identical(_t3, other._t3)
        && Identical(_t4, other._t4) && Identical(_t5, other._t5) && Identical(_t6, other._t6) && Identical(_t7, other._t7);

    private static bool Identical(KeyValuePair<string, object?> a, KeyValuePair<string, object?> b) =>
        ReferenceEquals(a.Key, b.Key) && ReferenceEquals(a.Value, b.Value);

    public override int GetHashCode() =>
        HashCode.Combine(HashCode.Combine(_count, Hash(_t0), Hash(_t1), Hash(_t2), Hash(_t3)), Hash(_t4), Hash(_t5), Hash(_t6), Hash(_t7));

    private static bool Same(KeyValuePair<string, object?> a, KeyValuePair<string, object?> b) =>
        string.Equals(a.Key, b.Key, StringComparison.Ordinal) && Equals(a.Value, b.Value);

    private static int Hash(KeyValuePair<string, object?> tag) =>
        HashCode.Combine(tag.Key is null ? 0 : StringComparer.Ordinal.GetHashCode(tag.Key), tag.Value?.GetHashCode() ?? 0);
}
