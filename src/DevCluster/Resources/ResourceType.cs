using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Resources;

/// <summary>
/// One served resource, described the same way for built-in kinds and for CRD-defined ones, so every request
/// goes through the same generic code path (the way the real API server's generic registry works).
/// </summary>
public sealed record ResourceType(string Group, string Version, string Kind, string Plural, bool Namespaced)
{
    public string Singular { get; init; } = Kind.ToLowerInvariant();
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    public bool HasStatus { get; init; }

    /// <summary>The verbs discovery lists; null for a stored kind's full set. The self-review kinds are create-only.</summary>
    public IReadOnlyList<string>? Verbs { get; init; }
    public ScaleSubresource? Scale { get; init; }
    public IReadOnlyList<PrinterColumn> PrinterColumns { get; init; } = [];

    /// <summary>Whether `kubectl get`'s Table starts with a Name column: every printer's but the Events' (name is a wide column there).</summary>
    public bool NameColumn { get; init; } = true;

    /// <summary>The structural OpenAPI v3 schema of a custom resource version; null for built-ins.</summary>
    public JsonObject? Schema { get; init; }

    /// <summary>True for CRD-served kinds: they need a resourceVersion on update and reject strategic merge patch.</summary>
    public bool IsCustom { get; init; }

    /// <summary>Kinds whose metadata.generation counts spec changes (kinds with a spec and a status).</summary>
    public bool TracksGeneration { get; init; }

    /// <summary>
    /// Field selector labels beyond metadata.name and metadata.namespace (which every kind takes), each with the dotted
    /// path it reads: a Pod's `status.podIPs` reads status.podIP. Paths joined by '|' read the first that is set: a core
    /// Event's `source` reads source.component, else reportingComponent. Null takes any dotted path.
    /// </summary>
    public IReadOnlyDictionary<string, string>? SelectableFields { get; init; } = new Dictionary<string, string>();

    /// <summary>The storage versions differ from served ones only by apiVersion (no conversion webhooks here).</summary>
    public IReadOnlyList<string> ServedVersions { get; init; } = [Version];

    /// <summary>Set when this version is a view of another resource's storage (events.k8s.io Events); null when objects are stored as served.</summary>
    public StorageConversion? StoredAs { get; init; }

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
    public string ListKind => Kind + "List";

    /// <summary>
    /// Storage is shared across versions: the key names the group and plural, never the version. A view of another
    /// resource's storage (<see cref="StoredAs"/>) has that resource's key.
    /// </summary>
    public string StorageKey => StoredAs?.StorageKey ?? $"{Group}/{Plural}";

    /// <summary>A stored object as this version serves it (the object itself when it is stored as served).</summary>
    public JsonObject FromStorage(JsonObject stored) => StoredAs is { } conversion ? conversion.FromStorage(stored) : stored;

    /// <summary>The stored form of an object as this version serves it (the object itself when it is stored as served).</summary>
    public JsonObject ToStorage(JsonObject served) => StoredAs is { } conversion ? conversion.ToStorage(served) : served;

    public string ApiVersionFor(string version) => Group.Length == 0 ? version : $"{Group}/{version}";
}
