using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace RecOperator.Kube.Tests.Fakes;

/// <summary>Writes JSON bodies and Status errors the way the API server does.</summary>
public static class FakeResponses
{
    public static JsonObject Status(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };

    public static Task WriteStatusAsync(HttpContext context, int code, string reason, string message) =>
        WriteJsonAsync(context, code, Status(code, reason, message));

    public static async Task WriteJsonAsync(HttpContext context, int code, JsonNode body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
