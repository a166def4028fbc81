using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Resources;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Auth;

/// <summary>
/// authentication.k8s.io/v1 TokenReview, as kube-apiserver answers it: the token is authenticated for the audiences
/// asked (the API server's own when none are), and the status says whether it is, as whom (a service account's user
/// carries the account's uid and, for a pod-bound token, the pod in extra) and for which audiences, or why not.
/// </summary>
public static class TokenReviews
{
    private const string CredentialId = "authentication.kubernetes.io/credential-id";
    private const string PodName = "authentication.kubernetes.io/pod-name";
    private const string PodUid = "authentication.kubernetes.io/pod-uid";

    /// <summary>
    /// The real registry's check, before any validation: a BadRequest, not a field error. On the body as sent, before the
    /// typed decode, whose required token would otherwise be a decoding error.
    /// </summary>
    public static JsonObject RequireToken(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return JsonTree.GetString(body, "spec.token") is { Length: > 0 } ? body : throw ApiErrors.BadRequest("token is required for TokenReview in authentication");
    }

    /// <summary>The answer to a review whose token <see cref="RequireToken"/> found.</summary>
    public static V1TokenReview Answer(V1TokenReview review, Authenticator authenticator)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(authenticator);
        var audiences = review.Spec.Audiences is { Count: > 0 } asked ? asked.ToList() : [.. ServiceAccountTokens.ApiAudiences];
        var outcome = authenticator.Review(review.Spec.Token, audiences);
        var status = outcome.User is { } user
            ? new V1TokenReviewStatus { Authenticated = true, User = UserOf(user, outcome.Claims), Audiences = [.. outcome.Audiences] }
            : new V1TokenReviewStatus { User = new V1UserInfo(), Error = outcome.Error };
        return review with { Status = status };
    }

    private static V1UserInfo UserOf(UserInfo user, TokenClaims? claims)
    {
        if (claims is null)
        {
            return new V1UserInfo { Username = user.Name, Groups = [.. user.Groups] };
        }
        var extra = new Dictionary<string, IList<string>>(StringComparer.Ordinal);
        if (claims.Id.Length > 0)
        {
            extra[CredentialId] = [$"JTI={claims.Id}"];
        }
        if (claims.BoundTo is { Kind: "Pod" } pod)
        {
            extra[PodName] = [pod.Name];
            extra[PodUid] = [pod.Uid];
        }
        return new V1UserInfo { Username = user.Name, Uid = claims.ServiceAccountUid, Groups = [.. user.Groups], Extra = extra.Count == 0 ? null : extra };
    }
}
