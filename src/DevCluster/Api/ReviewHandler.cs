using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using RecOperator.DevCluster.Auth;
using RecOperator.DevCluster.Resources;
using RecOperator.Kube;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// The create-only kinds that are answered, not stored: the self-reviews SelfSubjectAccessReview and SelfSubjectRulesReview
/// (authorization.k8s.io/v1) and SelfSubjectReview (authentication.k8s.io/v1), about the caller (<see cref="SelfReviews"/>);
/// SubjectAccessReview and the namespaced LocalSubjectAccessReview, about the user the spec names
/// (<see cref="SubjectAccessReviews"/>); and TokenReview, about a token (<see cref="TokenReviews"/>). The authorization
/// filter has already checked that the caller may create them. A POST gets 201 with the request and its status; any
/// other method is 405, as nothing is kept to read back.
/// </summary>
public sealed class ReviewHandler(RbacPolicyCache policy, Authenticator authenticator)
{
    public static bool Serves(ResourceType type) =>
        type is { Group: "authorization.k8s.io", Plural: "selfsubjectaccessreviews" or "selfsubjectrulesreviews" or "subjectaccessreviews" or "localsubjectaccessreviews" }
        or { Group: "authentication.k8s.io", Plural: "selfsubjectreviews" or "tokenreviews" };

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
        var json = KubeJsonContext.Default;
        JsonNode answer = type.Plural switch
        {
            "selfsubjectaccessreviews" => Encode(SelfReviews.Answer(Decode(body, json.V1SelfSubjectAccessReview, type), user, policy.Current, type),
                json.V1SelfSubjectAccessReview),
            "selfsubjectrulesreviews" => Encode(SelfReviews.Answer(Decode(body, json.V1SelfSubjectRulesReview, type), user, policy.Current),
                json.V1SelfSubjectRulesReview),
            "subjectaccessreviews" => Encode(SubjectAccessReviews.Answer(Decode(body, json.V1SubjectAccessReview, type), policy.Current, type),
                json.V1SubjectAccessReview),
            "localsubjectaccessreviews" => Encode(SubjectAccessReviews.Answer(Decode(body, json.V1LocalSubjectAccessReview, type), path.Namespace ?? "", policy.Current, type),
                json.V1LocalSubjectAccessReview),
            "tokenreviews" => Encode(TokenReviews.Answer(Decode(TokenReviews.RequireToken(body), json.V1TokenReview, type), authenticator), json.V1TokenReview),
            _ => Encode(SelfReviews.Answer(Decode(body, json.V1SelfSubjectReview, type), user), json.V1SelfSubjectReview),
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
