namespace RecOperator.Kube.Watching;

/// <summary>
/// What changed between the objects a watcher knew and a fresh list: after a 410 the events in between are
/// lost, so the relist is compared with the last known state and the difference is reported as events.
/// </summary>
public static class ListDiff
{
    /// <param name="known">Last known objects by key.</param>
    /// <param name="fresh">The new list.</param>
    /// <param name="identify">Key and resourceVersion of an object.</param>
    public static IReadOnlyList<WatchEvent<T>> Compute<T>(
        IReadOnlyDictionary<string, T> known, IEnumerable<T> fresh, Func<T, (string Key, string? ResourceVersion)> identify)
    {
        var changes = new List<WatchEvent<T>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var obj in fresh)
        {
            var (key, version) = identify(obj);
            seen.Add(key);
            if (!known.TryGetValue(key, out var previous))
            {
                changes.Add(new(WatchEventType.Added, obj));
            }
            else if (identify(previous).ResourceVersion != version)
            {
                changes.Add(new(WatchEventType.Modified, obj));
            }
        }

        // Sorted so that the order of deletions does not depend on dictionary layout.
        foreach (var key in known.Keys.Where(k => !seen.Contains(k)).Order(StringComparer.Ordinal))
        {
            changes.Add(new(WatchEventType.Deleted, known[key]));
        }

        return changes;
    }
}
