using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using RecOperator.DevCluster.Auth;
using RecOperator.DevCluster.Resources;
using RecOperator.Kube;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// The create-only kinds that are answered, not stored: SelfSubjectAccessReview and SelfSubjectRulesReview
/// (authorization.k8s.io/v1) and SelfSubjectReview (authentication.k8s.io/v1). A POST gets 201 with the request and its
/// status (<see cref="SelfReviews"/>); any other method is 405, as nothing is kept to read back.
/// </summary>
public sealed class SelfReviewHandler(RbacPolicyCache policy)
{
    public static bool Serves(ResourceType type) => type is { Group: "authorization.k8s.io", Plural: "selfsubjectaccessreviews" or "selfsubjectrulesreviews" }
        or { Group: "authentication.k8s.io", Plural: "selfsubjectreviews" };

    public async Task HandleAsync(HttpContext context, ResourceType type, ApiPath path, CancellationToken ct)
    {
        if (context.Request.Method != "POST" || path.Name is not null)
        {
            throw ApiErrors.MethodNotAllowed();
        }
        var body = HttpIo.ParseObject(context.Request, await HttpIo.ReadBodyAsync(context.Request, ct).ConfigureAwait(false));
        // The status is the server's to fill in; what a client sends there (kubectl's protobuf carries an empty one) is dropped.
        body.Remove("status");
        var user = RequestUser.Of(context);
        JsonNode answer = type.Plural switch
        {
            "selfsubjectaccessreviews" => Encode(SelfReviews.Answer(Decode(body, KubeJsonContext.Default.V1SelfSubjectAccessReview, type), user, policy.Current, type),
                KubeJsonContext.Default.V1SelfSubjectAccessReview),
            "selfsubjectrulesreviews" => Encode(SelfReviews.Answer(Decode(body, KubeJsonContext.Default.V1SelfSubjectRulesReview, type), user, policy.Current),
                KubeJsonContext.Default.V1SelfSubjectRulesReview),
            _ => Encode(SelfReviews.Answer(Decode(body, KubeJsonContext.Default.V1SelfSubjectReview, type), user), KubeJsonContext.Default.V1SelfSubjectReview),
        };
        // Whatever the client left out, the answer names its kind.
        answer["apiVersion"] = type.ApiVersion;
        answer["kind"] = type.Kind;
        await HttpIo.WriteJsonAsync(context.Response, 201, answer, ct).ConfigureAwait(false);
    }

    private static JsonNode Encode<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.SerializeToNode(value, type)!;

    private static T Decode<T>(JsonObject body, JsonTypeInfo<T> type, ResourceType kind)
    {
        try
        {
            return body.Deserialize(type) ?? throw ApiErrors.BadRequest("the request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw ApiErrors.BadRequest($"the request body is not a valid {kind.Kind}: {e.Message}");
        }
    }
}
