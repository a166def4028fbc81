using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using RecOperator.DevCluster.Auth;
using RecOperator.DevCluster.Resources;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// A ServiceAccount's `token` subresource (what the kubelet asks for each pod's projected token, and `kubectl create
/// token`): POST of an authentication.k8s.io/v1 TokenRequest answers 201 with a signed token for the account in
/// status.token. The account must exist (404); a boundObjectRef must name an existing Pod running as this account or a
/// Secret, with a matching uid when one is given (409), and the token then lives only as long as that object.
/// </summary>
public sealed class TokenRequestHandler(ResourceService service, ServiceAccountTokens tokens, TimeProvider time)
{
    public static bool Serves(ResourceType type) => type is { Group: "", Kind: "ServiceAccount", IsCustom: false };

    public async Task HandleAsync(HttpContext context, ResourceType accounts, string ns, string name, CancellationToken ct)
    {
        if (context.Request.Method != "POST")
        {
            throw ApiErrors.MethodNotAllowed();
        }
        var body = HttpIo.ParseObject(context.Request, await HttpIo.ReadBodyAsync(context.Request, ct).ConfigureAwait(false));
        // The status is the server's to fill in; what a client sends there (kubectl's protobuf carries an empty one) is dropped.
        body.Remove("status");
        var request = Decode(body, KubeJsonContext.Default.V1TokenRequest, "TokenRequest");
        if (request.Metadata?.Name is { Length: > 0 } named && named != name)
        {
            throw ApiErrors.Invalid(TokenRequests.Kind, name, [FieldError.Invalid("metadata.name", $"\"{named}\"", "must match the service account name if specified")]);
        }
        if (request.Metadata?.Namespace is { Length: > 0 } inNamespace && inNamespace != ns)
        {
            throw ApiErrors.Invalid(TokenRequests.Kind, name, [FieldError.Invalid("metadata.namespace", $"\"{inNamespace}\"", "must match the service account namespace if specified")]);
        }
        var account = Decode(service.Get(accounts, ns, name), KubeJsonContext.Default.V1ServiceAccount, "ServiceAccount");
        var bound = request.Spec?.BoundObjectRef is { } reference ? Bound(reference, ns, name) : null;
        var (answer, claims) = TokenRequests.Plan(request, account, bound, time.GetUtcNow(), Guid.NewGuid().ToString());
        answer = answer with { Status = answer.Status! with { Token = tokens.Issue(claims) } };
        await HttpIo.WriteJsonAsync(context.Response, 201, JsonSerializer.SerializeToNode(answer, KubeJsonContext.Default.V1TokenRequest)!, ct).ConfigureAwait(false);
    }

    /// <summary>The bound object as the token will name it: it must exist, run as this account (a pod), and have the uid the request gives.</summary>
    private BoundObject Bound(V1BoundObjectReference reference, string ns, string account)
    {
        var kind = reference.Kind ?? "";
        var group = reference.ApiVersion is { } apiVersion && apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        var objectName = reference.Name ?? "";
        string uid;
        switch (group, kind)
        {
            case ("", "Pod"):
                var pod = Decode(service.Get(Core("pods"), ns, objectName), KubeJsonContext.Default.V1Pod, "Pod");
                if (pod.Spec?.ServiceAccountName != account)
                {
                    throw ApiErrors.BadRequest($"cannot bind token for serviceaccount \"{account}\" to pod running with different serviceaccount name.");
                }
                uid = pod.Metadata?.Uid ?? "";
                break;
            case ("", "Secret"):
                uid = Decode(service.Get(Core("secrets"), ns, objectName), KubeJsonContext.Default.V1Secret, "Secret").Metadata?.Uid ?? "";
                break;
            default:
                var version = reference.ApiVersion is { } v && v.Contains('/', StringComparison.Ordinal) ? v[(v.IndexOf('/', StringComparison.Ordinal) + 1)..] : reference.ApiVersion ?? "";
                throw ApiErrors.BadRequest($"cannot bind token to object of type {group}/{version}, Kind={kind}");
        }
        if (reference.Uid is { Length: > 0 } expected && expected != uid)
        {
            throw new ApiException(409, "Conflict",
                $"Operation cannot be fulfilled on {kind} \"{objectName}\": the UID in the bound object reference ({expected}) does not match the UID in record. The object might have been deleted and then recreated",
                new System.Text.Json.Nodes.JsonObject { ["name"] = objectName, ["kind"] = kind });
        }
        return new BoundObject(kind, objectName, uid);
    }

    private ResourceType Core(string plural) => service.Registry.Find("", "v1", plural)!;

    private static T Decode<T>(System.Text.Json.Nodes.JsonObject body, JsonTypeInfo<T> type, string kind)
    {
        try
        {
            return body.Deserialize(type) ?? throw ApiErrors.BadRequest($"the request body is not a {kind}");
        }
        catch (JsonException e)
        {
            throw ApiErrors.BadRequest($"the request body is not a valid {kind}: {e.Message}");
        }
    }
}
