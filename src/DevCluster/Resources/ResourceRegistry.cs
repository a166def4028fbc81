using System.Collections.Immutable;

namespace RecOperator.DevCluster.Resources;

/// <summary>
/// Every resource served right now: the built-ins plus one entry per served version of each established CRD.
/// Readers see an immutable snapshot; CRD changes swap in a new one.
/// </summary>
public sealed class ResourceRegistry
{
    private ImmutableDictionary<string, ResourceType> _byPath;
    private ImmutableDictionary<string, ImmutableArray<ResourceType>> _byCrd = ImmutableDictionary<string, ImmutableArray<ResourceType>>.Empty;
    private readonly Lock _gate = new();

    public ResourceRegistry()
    {
        _byPath = BuiltInResources.All.ToImmutableDictionary(r => PathKey(r.Group, r.Version, r.Plural));
    }

    public ResourceType? Find(string group, string version, string plural) =>
        _byPath.GetValueOrDefault(PathKey(group, version, plural));

    /// <summary>
    /// Any served version of a group's resource (used when a storage key must be resolved, e.g. by GC); one that stores
    /// its objects as served (core Events, not their events.k8s.io view) when there is one, so no conversion is needed.
    /// </summary>
    public ResourceType? FindByStorageKey(string storageKey) =>
        _byPath.Values.Where(r => r.StorageKey == storageKey).MinBy(r => r.StoredAs is null ? 0 : 1);

    public ResourceType? FindByKind(string apiVersion, string kind) =>
        _byPath.Values.FirstOrDefault(r => r.ApiVersion == apiVersion && r.Kind == kind);

    public IReadOnlyCollection<ResourceType> All => _byPath.Values.ToList();

    /// <summary>Group versions in discovery order: built-in groups first, then custom groups by name.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups()
    {
        var builtInOrder = BuiltInResources.All.Select(r => r.Group).Distinct().ToList();
        return _byPath.Values.Where(r => r.Group.Length > 0)
            .GroupBy(r => r.Group)
            .OrderBy(g => builtInOrder.IndexOf(g.Key) is var i && i >= 0 ? i : int.MaxValue)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<string>)g.Select(r => r.Version).Distinct()
                .OrderBy(v => g.First(r => r.Version == v).ServedVersions.ToList().IndexOf(v)).ToList()))
            .ToList();
    }

    public IReadOnlyList<ResourceType> InGroupVersion(string group, string version) =>
        _byPath.Values.Where(r => r.Group == group && r.Version == version).OrderBy(r => r.Plural, StringComparer.Ordinal).ToList();

    /// <summary>Serves (or re-serves after an update) the versions of one CRD.</summary>
    public void RegisterCrd(string crdName, IReadOnlyList<ResourceType> versions)
    {
        lock (_gate)
        {
            var builder = _byPath.ToBuilder();
            RemoveCrdLocked(builder, crdName);
            foreach (var type in versions)
            {
                builder[PathKey(type.Group, type.Version, type.Plural)] = type;
            }
            _byCrd = _byCrd.SetItem(crdName, [.. versions]);
            _byPath = builder.ToImmutable();
        }
    }

    /// <summary>
    /// Serves what the store holds for one CRD now: its versions, or nothing once it is gone. <paramref name="current"/>
    /// is read under the registry's lock, so when two writers race (the collector deleting a CRD, a client re-creating
    /// it) the one that syncs last reads the newest stored state and the registry cannot keep a stale answer.
    /// </summary>
    public void SyncCrd(string crdName, Func<IReadOnlyList<ResourceType>?> current)
    {
        ArgumentNullException.ThrowIfNull(current);
        lock (_gate)
        {
            if (current() is { } versions)
            {
                RegisterCrd(crdName, versions);
                return;
            }
            var builder = _byPath.ToBuilder();
            RemoveCrdLocked(builder, crdName);
            _byCrd = _byCrd.Remove(crdName);
            _byPath = builder.ToImmutable();
        }
    }

    private void RemoveCrdLocked(ImmutableDictionary<string, ResourceType>.Builder builder, string crdName)
    {
        if (_byCrd.TryGetValue(crdName, out var old))
        {
            foreach (var type in old)
            {
                builder.Remove(PathKey(type.Group, type.Version, type.Plural));
            }
        }
    }

    private static string PathKey(string group, string version, string plural) => $"{group}/{version}/{plural}";
}
