using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RecOperator.Kube.Yaml;

namespace RecOperator.DevCluster.Api;

/// <summary>Reading request bodies and writing JSON responses and `Status` errors.</summary>
public static class HttpIo
{
    private const int MaxBody = 8 * 1024 * 1024;

    public static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentType?.Contains("cbor", StringComparison.OrdinalIgnoreCase) == true)
        {
            throw ApiErrors.UnsupportedMediaType(request.ContentType);
        }
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
        if (buffer.Length > MaxBody)
        {
            throw new ApiException(413, "RequestEntityTooLarge", "the request body is larger than 8 MiB");
        }
        var body = buffer.ToArray();
        // Typed kubectl commands send protobuf; what they send for metadata-only objects is re-encoded as JSON.
        return request.ContentType?.Contains("protobuf", StringComparison.OrdinalIgnoreCase) == true
            ? Resources.JsonTree.ToBytes(ProtobufMetadataDecoder.Decode(body))
            : body;
    }

    public static JsonObject ParseObject(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw ApiErrors.BadRequest("the request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw ApiErrors.BadRequest($"the request body is not valid JSON: {e.Message}");
        }
    }

    /// <summary>Apply bodies are YAML (JSON is YAML too): parse JSON first, then YAML.</summary>
    public static JsonObject ParseYamlOrJson(byte[] body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject json)
            {
                return json;
            }
        }
        catch (JsonException)
        {
            // Not JSON: try YAML below.
        }
        try
        {
            return YamlDocuments.Parse(System.Text.Encoding.UTF8.GetString(body)).FirstOrDefault() as JsonObject
                ?? throw ApiErrors.BadRequest("the apply body must be a YAML or JSON object");
        }
        catch (FormatException e)
        {
            throw ApiErrors.BadRequest($"error decoding YAML: {e.Message}");
        }
    }

    public static async Task WriteJsonAsync(HttpResponse response, int code, JsonNode body, CancellationToken ct)
    {
        response.StatusCode = code;
        response.ContentType = "application/json";
        await response.Body.WriteAsync(Resources.JsonTree.ToBytes(body), ct).ConfigureAwait(false);
    }

    public static JsonObject StatusOf(ApiException error)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = error.Message,
            ["reason"] = error.Reason,
            ["code"] = error.Code,
        };
        if (error.Details is not null)
        {
            status["details"] = error.Details.DeepClone();
        }
        return status;
    }

    public static Task WriteErrorAsync(HttpResponse response, ApiException error, CancellationToken ct) =>
        WriteJsonAsync(response, error.Code, StatusOf(error), ct);
}
