using System.Collections.Immutable;

namespace RecOperator.DevCluster.Storage;

/// <summary>
/// An immutable snapshot: the revision and every object at it. Readers take one snapshot and get a list
/// that is consistent with its resourceVersion, without locking.
/// </summary>
public sealed record StoreState(long Revision, ImmutableDictionary<string, ImmutableSortedDictionary<string, StoredObject>> Resources)
{
    public static StoreState Empty { get; } = new(0, ImmutableDictionary<string, ImmutableSortedDictionary<string, StoredObject>>.Empty);

    public ImmutableSortedDictionary<string, StoredObject> Of(string resource) =>
        Resources.GetValueOrDefault(resource) ?? ImmutableSortedDictionary.Create<string, StoredObject>(StringComparer.Ordinal);

    public StoreState With(long revision, string resource, string key, StoredObject? value)
    {
        var objects = Of(resource);
        objects = value is null ? objects.Remove(key) : objects.SetItem(key, value);
        return new StoreState(revision, Resources.SetItem(resource, objects));
    }
}
