using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Api;

/// <summary>Writes one watch event per line and flushes it, as a Table row when the client watches tables.</summary>
internal sealed class EventWriter
{
    private readonly HttpResponse _response;
    private readonly ResourceType _type;
    private readonly bool _asTable;
    private readonly string? _includeObject;
    private readonly TimeProvider _time;
    private bool _columnsSent;

    public EventWriter(HttpResponse response, ResourceType type, bool asTable, string? includeObject, TimeProvider time)
    {
        _response = response;
        _type = type;
        _asTable = asTable;
        _includeObject = includeObject;
        _time = time;
    }

    /// <summary>
    /// Stored objects can go out as stored when the client wants plain JSON of the only served version
    /// (with several versions the apiVersion must be rewritten to the requested one) stored as served
    /// (an events.k8s.io Event is stored as a core one).
    /// </summary>
    public bool CanPassThrough => !_asTable && _type.ServedVersions.Count == 1 && _type.StoredAs is null;

    public async Task WriteRawAsync(string eventType, byte[] objectJson, CancellationToken ct)
    {
        var prefix = Encoding.UTF8.GetBytes($"{{\"type\":\"{eventType}\",\"object\":");
        var line = new byte[prefix.Length + objectJson.Length + 2];
        prefix.CopyTo(line, 0);
        objectJson.CopyTo(line, prefix.Length);
        line[^2] = (byte)'}';
        line[^1] = (byte)'\n';
        await _response.Body.WriteAsync(line, ct).ConfigureAwait(false);
        await _response.Body.FlushAsync(ct).ConfigureAwait(false);
    }

    public async Task WriteAsync(string eventType, JsonObject obj, CancellationToken ct)
    {
        JsonNode payload = obj;
        if (_asTable && eventType is not ("ERROR" or "BOOKMARK"))
        {
            // Column definitions go out with the first event only, as the real server does.
            var table = TableConverter.Build(_type, [obj], _includeObject, withColumns: !_columnsSent, _time.GetUtcNow());
            table["metadata"] = new JsonObject { ["resourceVersion"] = JsonTree.GetString(obj, "metadata.resourceVersion") };
            _columnsSent = true;
            payload = table;
        }
        var json = JsonTree.ToBytes(new JsonObject { ["type"] = eventType, ["object"] = payload });
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        await _response.Body.WriteAsync(line, ct).ConfigureAwait(false);
        await _response.Body.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>A BOOKMARK; the one closing `sendInitialEvents` carries the `k8s.io/initial-events-end` annotation.</summary>
    public Task WriteBookmarkAsync(long revision, CancellationToken ct, bool initialEventsEnd = false)
    {
        var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }
        return WriteAsync("BOOKMARK", new JsonObject
        {
            ["kind"] = _asTable ? "Table" : _type.Kind,
            ["apiVersion"] = _asTable ? "meta.k8s.io/v1" : _type.ApiVersion,
            ["metadata"] = metadata,
        }, ct);
    }
}
