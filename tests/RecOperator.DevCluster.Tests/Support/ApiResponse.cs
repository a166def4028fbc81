using System.Net;
using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Tests.Support;

/// <summary>A response from the API server: status code, parsed JSON body and its `Warning` headers as sent.</summary>
public sealed record ApiResponse(HttpStatusCode Status, JsonNode? Body, IReadOnlyList<string>? Warnings = null)
{
    public JsonObject Object => Body as JsonObject ?? throw new InvalidOperationException($"expected an object, got {Body?.ToJsonString()}");

    public string? Str(string dottedPath) => Resources.JsonTree.GetString(Body, dottedPath);

    public long? Num(string dottedPath) => Resources.JsonTree.GetLong(Body, dottedPath);

    public string? ResourceVersion => Str("metadata.resourceVersion");
}
