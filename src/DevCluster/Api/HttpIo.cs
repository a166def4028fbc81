using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RecOperator.Kube.Yaml;

namespace RecOperator.DevCluster.Api;

/// <summary>Reading request bodies and writing JSON responses and `Status` errors.</summary>
public static class HttpIo
{
    private const int MaxBody = 8 * 1024 * 1024;

    /// <summary>
    /// A field given twice is refused at parse time (400 naming it). Parsed leniently, the duplicate surfaced only
    /// when the object was first read, as a 500; the real server's strict decoding refuses it the same way.
    /// </summary>
    private static readonly JsonDocumentOptions RequestJson = new() { AllowDuplicateProperties = false };

    /// <summary>Parses a request body as JSON; throws <see cref="JsonException"/> on bad JSON and duplicate fields.</summary>
    public static JsonNode? ParseJson(byte[] body) => JsonNode.Parse(body, documentOptions: RequestJson);

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
        // Typed kubectl commands send protobuf: re-encoded as JSON here, so everything after this reads one format.
        return request.ContentType?.Contains("protobuf", StringComparison.OrdinalIgnoreCase) == true
            ? Resources.JsonTree.ToBytes(Protobuf.ProtobufObjectDecoder.Decode(body))
            : body;
    }

    /// <summary>
    /// The object of a create or update, in the media type its Content-Type names: JSON (also when none is named),
    /// YAML, or protobuf (re-encoded as JSON by <see cref="ReadBodyAsync"/>). Any other type is 415, as on the real
    /// server: a text/plain or a patch type on POST or PUT is a client mistake, not JSON to guess at.
    /// </summary>
    public static JsonObject ParseObject(HttpRequest request, byte[] body) => Patching.PatchApplier.Normalize(request.ContentType) switch
    {
        "" or "application/json" or "application/vnd.kubernetes.protobuf" => ParseObject(body),
        "application/yaml" => ParseYamlOrJson(body),
        var other => throw new ApiException(415, "UnsupportedMediaType",
            $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf ({other})"),
    };

    public static JsonObject ParseObject(byte[] body)
    {
        try
        {
            return ParseJson(body) as JsonObject ?? throw ApiErrors.BadRequest("the request body must be a JSON object");
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
            if (ParseJson(body) is JsonObject json)
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
                ?? throw ApiErrors.BadRequest("the request body must be a YAML or JSON object");
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
            ["metadata"] = error.Continue is null ? new JsonObject() : new JsonObject { ["continue"] = error.Continue },
            ["status"] = "Failure",
            ["message"] = error.Message,
            ["reason"] = error.Reason,
            ["code"] = error.Code,
        };
        if (error.Reason.Length == 0)
        {
            status.Remove("reason");
        }
        if (error.Details is not null)
        {
            status["details"] = error.Details.DeepClone();
        }
        return status;
    }

    /// <summary>
    /// The error as a Status; one whose details say when to retry also gets the Retry-After header, as the real server
    /// sends it, since that header (not the body) is what client-go waits for before it retries by itself.
    /// </summary>
    public static Task WriteErrorAsync(HttpResponse response, ApiException error, CancellationToken ct)
    {
        if (error.Details?["retryAfterSeconds"] is JsonValue retry && retry.TryGetValue<int>(out var seconds) && seconds > 0)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return WriteJsonAsync(response, error.Code, StatusOf(error), ct);
    }
}
