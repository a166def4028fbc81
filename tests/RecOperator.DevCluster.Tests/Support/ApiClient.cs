using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Tests.Support;

/// <summary>A thin raw-HTTP client for the API server: the tests assert on the wire, not on a library.</summary>
public sealed class ApiClient
{
    private readonly HttpClient _http;

    public ApiClient(HttpClient http) => _http = http;

    public HttpClient Http => _http;

    public Task<ApiResponse> GetAsync(string path, string? accept = null) => SendAsync(HttpMethod.Get, path, null, null, accept);

    public Task<ApiResponse> PostAsync(string path, JsonNode body) => SendAsync(HttpMethod.Post, path, body, "application/json");

    public Task<ApiResponse> PutAsync(string path, JsonNode body) => SendAsync(HttpMethod.Put, path, body, "application/json");

    public Task<ApiResponse> PatchAsync(string path, JsonNode body, string contentType = "application/merge-patch+json") =>
        SendAsync(HttpMethod.Patch, path, body, contentType);

    public Task<ApiResponse> DeleteAsync(string path, JsonNode? body = null) => SendAsync(HttpMethod.Delete, path, body, "application/json");

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, JsonNode? body, string? contentType, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/json");
        }
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        using var response = await _http.SendAsync(request).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        var warnings = response.Headers.NonValidated.TryGetValues("Warning", out var values) ? values.ToList() : [];
        return new ApiResponse(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), warnings);
    }

    /// <summary>Creates a namespace with a unique name, so tests sharing one server never see each other's objects.</summary>
    public async Task<string> NewNamespaceAsync()
    {
        var name = "t-" + Guid.NewGuid().ToString("N")[..10];
        var created = await PostAsync("/api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }).ConfigureAwait(false);
        if (created.Status != System.Net.HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"namespace create failed: {created.Body}");
        }
        return name;
    }

    public static JsonObject ConfigMap(string name, JsonObject? labels = null, JsonObject? data = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels ?? new JsonObject() },
        ["data"] = data ?? new JsonObject { ["k"] = "v" },
    };
}
