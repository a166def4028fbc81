using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using RecOperator.Kube.Models;
using RecOperator.Kube.Watching;

namespace RecOperator.Kube.Client;

/// <summary>
/// Typed operations on one kind. A null namespace on a single-object call means the object's own namespace,
/// then the config's default; on list and watch it means all namespaces.
/// </summary>
public sealed class ResourceClient<T>
    where T : class
{
    private readonly KubeApiClient _api;
    private readonly JsonTypeInfo<T> _type;
    private readonly Func<T, ObjectIdentity> _identify;

    internal ResourceClient(KubeApiClient api, ResourceDescriptor descriptor, JsonTypeInfo<T> type, Func<T, ObjectIdentity> identify)
    {
        (_api, Descriptor, _type, _identify) = (api, descriptor, type, identify);
    }

    public ResourceDescriptor Descriptor { get; }

    public ObjectIdentity Identify(T obj) => _identify(obj);

    public Task<T> GetAsync(string name, string? ns = null, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Get, Descriptor.ObjectPath(name, Scope(ns)), null, ReadObject, cancellationToken);

    /// <summary>Like <see cref="GetAsync"/>, but null when the object does not exist.</summary>
    public async Task<T?> TryGetAsync(string name, string? ns = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetAsync(name, ns, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            return null;
        }
    }

    /// <summary>One page. Pass the returned <see cref="KubeList{T}.Continue"/> back in the options for the next.</summary>
    public Task<KubeList<T>> ListAsync(string? ns = null, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Get, Descriptor.CollectionPath(ns) + (options ?? new()).ToQuery(watch: false), null, ReadList, cancellationToken);

    /// <summary>
    /// Every object as one list at one resourceVersion, fetched page by page with limit/continue (500 a page unless
    /// <paramref name="options"/> says otherwise). A continue token that expires before the last page (410 Expired:
    /// the server compacted the first page's version away) is met as client-go's pager meets it: the pages read so far
    /// are dropped and the collection is listed once more without paging. Any other 410 is thrown, including one for a
    /// continue token passed in <paramref name="options"/>.
    /// </summary>
    public Task<KubeList<T>> ListWholeAsync(string? ns = null, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListPager.ListAsync((page, ct) => ListAsync(ns, page, ct), options ?? new ListOptions { Limit = 500 }, cancellationToken);

    /// <summary>
    /// Every object, as <see cref="ListWholeAsync"/> reads them. Nothing is yielded until the last page has arrived:
    /// an expired continue token restarts the list, and objects already handed out could not be taken back, so they
    /// would come twice, or be ones deleted meanwhile.
    /// </summary>
    public async IAsyncEnumerable<T> ListAllAsync(
        string? ns = null, ListOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = await ListWholeAsync(ns, options, cancellationToken).ConfigureAwait(false);
        foreach (var item in list.Items)
        {
            yield return item;
        }
    }

    /// <summary>One watch connection; it ends when the server closes it. See <see cref="ListWatcher{T}"/> for resume and relist.</summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync(
        string? ns = null, ListOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var path = Descriptor.CollectionPath(ns) + (options ?? new()).ToQuery(watch: true);
        using var response = await _api.OpenStreamAsync(path, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var change in WatchStreamReader.ReadAsync(stream, _type, _api.Logger, cancellationToken).ConfigureAwait(false))
        {
            yield return change;
        }
    }

    public Task<T> CreateAsync(T obj, string? ns = null, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Post, Descriptor.CollectionPath(Scope(ns ?? _identify(obj).Namespace)), Json(obj), ReadObject, cancellationToken);

    /// <summary>PUT of the whole object. Its resourceVersion makes this a compare-and-swap: a stale one gets a conflict.</summary>
    public Task<T> UpdateAsync(T obj, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Put, PathOf(obj, null), Json(obj), ReadObject, cancellationToken);

    /// <summary>PUT to the status subresource: only status changes, and metadata.generation does not move.</summary>
    public Task<T> UpdateStatusAsync(T obj, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Put, PathOf(obj, "status"), Json(obj), ReadObject, cancellationToken);

    public Task<T> PatchAsync(string name, KubePatch patch, string? ns = null, CancellationToken cancellationToken = default) =>
        Patch(Descriptor.ObjectPath(name, Scope(ns)), patch, cancellationToken);

    public Task<T> PatchStatusAsync(string name, KubePatch patch, string? ns = null, CancellationToken cancellationToken = default) =>
        Patch(Descriptor.ObjectPath(name, Scope(ns), "status"), patch, cancellationToken);

    /// <summary>Deletes; <paramref name="options"/> carries propagationPolicy and uid/resourceVersion preconditions.</summary>
    public Task DeleteAsync(string name, string? ns = null, V1DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var body = options is null ? ((string, string)?)null : (JsonSerializer.Serialize(options, KubeJsonContext.Default.V1DeleteOptions), "application/json");
        return _api.SendAsync(HttpMethod.Delete, Descriptor.ObjectPath(name, Scope(ns)), body, static (_, _) => ValueTask.FromResult(true), cancellationToken);
    }

    public Task<V1Scale> GetScaleAsync(string name, string? ns = null, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Get, Descriptor.ObjectPath(name, Scope(ns), "scale"), null, ReadScale, cancellationToken);

    public Task<V1Scale> UpdateScaleAsync(string name, V1Scale scale, string? ns = null, CancellationToken cancellationToken = default) =>
        _api.SendAsync(
            HttpMethod.Put, Descriptor.ObjectPath(name, Scope(ns), "scale"),
            (JsonSerializer.Serialize(scale, KubeJsonContext.Default.V1Scale), "application/json"), ReadScale, cancellationToken);

    /// <summary>
    /// POST of another kind's object to a subresource that acts on this object and answers a Status, such as a pod's
    /// <c>binding</c> (what a scheduler uses to set spec.nodeName, which an update of the pod may not change).
    /// </summary>
    public Task CreateSubresourceAsync<TBody>(
        string name, string subresource, TBody body, JsonTypeInfo<TBody> bodyType, string? ns = null, CancellationToken cancellationToken = default) =>
        _api.SendAsync(
            HttpMethod.Post, Descriptor.ObjectPath(name, Scope(ns), subresource),
            (JsonSerializer.Serialize(body, bodyType), "application/json"), static (_, _) => ValueTask.FromResult(true), cancellationToken);

    /// <summary>
    /// POST of another kind's object to a subresource that answers that kind filled in, such as a ServiceAccount's
    /// <c>token</c> (a TokenRequest in, the same TokenRequest with its status.token out).
    /// </summary>
    public Task<TResult> CreateSubresourceAsync<TBody, TResult>(
        string name, string subresource, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TResult> resultType, string? ns = null,
        CancellationToken cancellationToken = default) =>
        _api.SendAsync(
            HttpMethod.Post, Descriptor.ObjectPath(name, Scope(ns), subresource),
            (JsonSerializer.Serialize(body, bodyType), "application/json"),
            async (stream, ct) => await JsonSerializer.DeserializeAsync(stream, resultType, ct).ConfigureAwait(false)
                ?? throw new JsonException($"the server answered null for {Descriptor.Kind} {name}/{subresource}"),
            cancellationToken);

    private Task<T> Patch(string path, KubePatch patch, CancellationToken cancellationToken) =>
        _api.SendAsync(HttpMethod.Patch, path + patch.ToQuery(), (patch.Body, patch.ContentType), ReadObject, cancellationToken);

    private string PathOf(T obj, string? subresource)
    {
        var id = _identify(obj);
        if (string.IsNullOrEmpty(id.Name))
        {
            throw new ArgumentException($"{Descriptor.Kind} has no metadata.name to address it by", nameof(obj));
        }

        return Descriptor.ObjectPath(id.Name, Scope(id.Namespace), subresource);
    }

    private string? Scope(string? ns) => Descriptor.Namespaced ? (string.IsNullOrEmpty(ns) ? _api.Config.Namespace : ns) : null;

    private (string, string) Json(T obj) => (JsonSerializer.Serialize(obj, _type), "application/json");

    private async ValueTask<T> ReadObject(Stream body, CancellationToken cancellationToken) =>
        await JsonSerializer.DeserializeAsync(body, _type, cancellationToken).ConfigureAwait(false)
        ?? throw new JsonException($"the server answered null for a {Descriptor.Kind}");

    private static async ValueTask<V1Scale> ReadScale(Stream body, CancellationToken cancellationToken) =>
        await JsonSerializer.DeserializeAsync(body, KubeJsonContext.Default.V1Scale, cancellationToken).ConfigureAwait(false)
        ?? throw new JsonException("the server answered null for a Scale");

    // Items are read one by one with the kind's own metadata, so one list shape serves every kind, custom ones too.
    private async ValueTask<KubeList<T>> ReadList(Stream body, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        var meta = root.TryGetProperty("metadata", out var m) ? m.Deserialize(KubeJsonContext.Default.V1ListMeta) : null;
        var items = new List<T>();
        if (root.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in array.EnumerateArray())
            {
                items.Add(item.Deserialize(_type) ?? throw new JsonException($"a {Descriptor.Kind} list holds a null item"));
            }
        }

        return new KubeList<T>(items, meta?.ResourceVersion, meta?.Continue, meta?.RemainingItemCount);
    }
}
