using RecOperator.Kube;

namespace RecOperator.Operator.Runtime;

/// <summary>
/// The informer's local copy of every object, indexed by namespace, by label and by owner uid so controllers
/// answer "which pods does this model own" without asking the API server.
/// </summary>
public sealed class InformerCache<T>
    where T : class, IKubernetesObject
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ObjectKey, T> _objects = [];
    private readonly Dictionary<string, HashSet<ObjectKey>> _byNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<ObjectKey>> _byLabel = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<ObjectKey>> _byOwner = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _objects.Count;
            }
        }
    }

    public T? Get(ObjectKey key)
    {
        lock (_gate)
        {
            return _objects.GetValueOrDefault(key);
        }
    }

    public IReadOnlyList<T> List()
    {
        lock (_gate)
        {
            return [.. _objects.Values];
        }
    }

    public IReadOnlyList<T> ByNamespace(string ns) => Lookup(_byNamespace, ns);

    public IReadOnlyList<T> ByLabel(string label, string value) => Lookup(_byLabel, $"{label}={value}");

    /// <summary>Objects with an ownerReference to this uid.</summary>
    public IReadOnlyList<T> ByOwner(string ownerUid) => Lookup(_byOwner, ownerUid);

    /// <summary>Stores the object and returns the previous version, if any.</summary>
    public T? Upsert(T obj)
    {
        var key = ObjectKey.Of(obj);
        lock (_gate)
        {
            var previous = RemoveLocked(key);
            _objects[key] = obj;
            foreach (var index in IndexKeys(obj))
            {
                Index(index.Map, index.Value).Add(key);
            }

            return previous;
        }
    }

    public T? Remove(ObjectKey key)
    {
        lock (_gate)
        {
            return RemoveLocked(key);
        }
    }

    private T? RemoveLocked(ObjectKey key)
    {
        if (!_objects.Remove(key, out var old))
        {
            return null;
        }

        foreach (var (map, value) in IndexKeys(old))
        {
            if (map.TryGetValue(value, out var set) && set.Remove(key) && set.Count == 0)
            {
                map.Remove(value);
            }
        }

        return old;
    }

    private IEnumerable<(Dictionary<string, HashSet<ObjectKey>> Map, string Value)> IndexKeys(T obj)
    {
        var metadata = obj.Metadata;
        yield return (_byNamespace, metadata?.Namespace ?? "");
        foreach (var (label, value) in metadata?.Labels ?? new Dictionary<string, string>())
        {
            yield return (_byLabel, $"{label}={value}");
        }

        foreach (var owner in metadata?.OwnerReferences ?? [])
        {
            yield return (_byOwner, owner.Uid);
        }
    }

    private static HashSet<ObjectKey> Index(Dictionary<string, HashSet<ObjectKey>> map, string value)
    {
        if (!map.TryGetValue(value, out var set))
        {
            map[value] = set = [];
        }

        return set;
    }

    private IReadOnlyList<T> Lookup(Dictionary<string, HashSet<ObjectKey>> map, string value)
    {
        lock (_gate)
        {
            return map.TryGetValue(value, out var keys) ? [.. keys.Select(k => _objects[k])] : [];
        }
    }
}
