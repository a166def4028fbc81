using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace RecOperator.Kube.Tests.Fakes;

/// <summary>
/// One resource collection that behaves like the API server's: resourceVersions, optimistic concurrency (409),
/// list paging with continue tokens, watch with history replay, 410 for compacted versions, bookmarks, and
/// status/scale subresources. Tests change it directly (Seed/Modify/Remove) and script failures
/// (DropWatches, Compact).
/// </summary>
public sealed partial class FakeCollection(string kind, string apiVersion)
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly List<(long Version, string Type, JsonObject Object)> _history = [];
    private long _version = 100;
    private long _compactedThrough;

    public string Kind { get; } = kind;

    public long CurrentVersion
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    public JsonObject Seed(string name, JsonObject? data = null, IDictionary<string, string>? labels = null)
    {
        var obj = new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = Kind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        };
        if (labels is not null)
        {
            obj["metadata"]!["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value))));
        }

        if (data is not null)
        {
            obj["data"] = data;
        }

        lock (_gate)
        {
            return Store(name, obj, "ADDED");
        }
    }

    public JsonObject Modify(string name, Action<JsonObject> change)
    {
        lock (_gate)
        {
            var obj = (JsonObject)_objects[name].DeepClone();
            change(obj);
            return Store(name, obj, "MODIFIED");
        }
    }

    public void Remove(string name)
    {
        lock (_gate)
        {
            var obj = _objects[name];
            _objects.Remove(name);
            var deleted = (JsonObject)obj.DeepClone();
            deleted["metadata"]!["resourceVersion"] = (++_version).ToString(CultureInfo.InvariantCulture);
            Publish("DELETED", deleted);
        }
    }

    public JsonObject? Get(string name)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(name, out var obj) ? (JsonObject)obj.DeepClone() : null;
        }
    }

    /// <summary>Forgets the event history, as etcd compaction does: watches from older versions get 410.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _compactedThrough = _version;
            _history.Clear();
        }
    }

    private JsonObject Store(string name, JsonObject obj, string type)
    {
        var metadata = (JsonObject)obj["metadata"]!;
        metadata["resourceVersion"] = (++_version).ToString(CultureInfo.InvariantCulture);
        metadata["uid"] ??= Guid.NewGuid().ToString();
        metadata["namespace"] ??= "default";
        _objects[name] = obj;
        Publish(type, (JsonObject)obj.DeepClone());
        return (JsonObject)obj.DeepClone();
    }

    public async Task HandleAsync(HttpContext context, string rest, string body)
    {
        var parts = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = context.Request.Method;
        if (parts.Length == 0)
        {
            await (method switch
            {
                "GET" when context.Request.Query["watch"] == "true" => WatchAsync(context),
                "GET" => ListAsync(context),
                "POST" => CreateAsync(context, body),
                _ => FakeResponses.WriteStatusAsync(context, 405, "MethodNotAllowed", method),
            });
            return;
        }

        var name = parts[0];
        var subresource = parts.Length > 1 ? parts[1] : null;
        var (code, answer) = HandleObject(method, name, subresource, body, context.Request.ContentType);
        await FakeResponses.WriteJsonAsync(context, code, answer);
    }

    private Task CreateAsync(HttpContext context, string body)
    {
        var obj = (JsonObject)JsonNode.Parse(body)!;
        var name = obj["metadata"]?["name"]?.GetValue<string>() ?? "";
        lock (_gate)
        {
            if (_objects.ContainsKey(name))
            {
                return FakeResponses.WriteStatusAsync(context, 409, "AlreadyExists", $"{Kind} \"{name}\" already exists");
            }

            obj["metadata"]!["generation"] = 1;
            return FakeResponses.WriteJsonAsync(context, 201, Store(name, obj, "ADDED"));
        }
    }

    private Task ListAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) ? l : int.MaxValue;
        var after = query["continue"].ToString();
        var selector = query["labelSelector"].ToString();
        lock (_gate)
        {
            var matching = _objects.Where(o => string.CompareOrdinal(o.Key, after) > 0 && Matches(o.Value, selector)).ToList();
            var page = matching.Take(limit).ToList();
            var metadata = new JsonObject { ["resourceVersion"] = _version.ToString(CultureInfo.InvariantCulture) };
            if (matching.Count > page.Count)
            {
                metadata["continue"] = page[^1].Key;
                metadata["remainingItemCount"] = matching.Count - page.Count;
            }

            var list = new JsonObject
            {
                ["kind"] = Kind + "List",
                ["apiVersion"] = apiVersion,
                ["metadata"] = metadata,
                ["items"] = new JsonArray([.. page.Select(p => (JsonNode)p.Value.DeepClone())]),
            };
            return FakeResponses.WriteJsonAsync(context, 200, list);
        }
    }

    // Equality selectors only ("a=b,c=d"): enough to prove the client sends the selector.
    private static bool Matches(JsonObject obj, string selector) =>
        selector.Length == 0 || selector.Split(',').All(term =>
        {
            var pair = term.Split('=', 2);
            return obj["metadata"]?["labels"]?[pair[0]]?.GetValue<string>() == pair[1];
        });
}
