using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// What a pod's create-only subresources (binding, eviction) share with kube-apiserver's create handler: POST only, the
/// body's name must be the one in the URL, its namespace and dry-run are checked like any create's, and success is a
/// v1 Status with code 201.
/// </summary>
internal static class SubresourcePost
{
    /// <summary>
    /// The posted object and the request's write options. <paramref name="nameMayBeOmitted"/>: a body with no name
    /// at all is taken as naming the URL's object (a Binding); otherwise the names must match as given (an Eviction).
    /// </summary>
    public static async Task<(JsonObject Body, WriteOptions Options)> ReadAsync(
        HttpContext context, ResourceType type, string ns, string name, bool nameMayBeOmitted, CancellationToken ct)
    {
        if (context.Request.Method != "POST")
        {
            throw ApiErrors.MethodNotAllowed();
        }
        var body = HttpIo.ParseObject(context.Request, await HttpIo.ReadBodyAsync(context.Request, ct).ConfigureAwait(false));
        var bodyName = JsonTree.GetString(body, "metadata.name");
        if (bodyName != name && !(nameMayBeOmitted && string.IsNullOrEmpty(bodyName)))
        {
            throw ApiErrors.BadRequest($"name in URL does not match name in {type.Kind} object");
        }
        var options = RequestOptions.WriteOptionsOf(context.Request);
        Admission.CheckIdentity(type, ns, name, body, options);
        return (body, options);
    }

    public static Task WriteSuccessAsync(HttpResponse response, CancellationToken ct) =>
        HttpIo.WriteJsonAsync(response, 201, new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201,
        }, ct);
}
