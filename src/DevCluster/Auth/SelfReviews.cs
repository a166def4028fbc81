using RecOperator.DevCluster.Api;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Auth;

/// <summary>
/// The answers of the self-review kinds, computed from the caller and the RBAC objects alone: a SelfSubjectAccessReview
/// (`kubectl auth can-i`) authorizes the attributes it names as the caller; a SelfSubjectRulesReview (`kubectl auth
/// can-i --list`) lists the caller's rules in a namespace; a SelfSubjectReview (`kubectl auth whoami`) says who the
/// caller is.
/// </summary>
public static class SelfReviews
{
    public static V1SelfSubjectAccessReview Answer(V1SelfSubjectAccessReview review, UserInfo user, RbacPolicy policy, Resources.ResourceType type)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(user);
        var resource = review.Spec.ResourceAttributes;
        var nonResource = review.Spec.NonResourceAttributes;
        if (resource is not null && nonResource is not null)
        {
            throw ApiErrors.Invalid(type, "", [FieldError.Invalid("spec.nonResourceAttributes", "", "cannot be specified in combination with resourceAttributes")]);
        }
        if (resource is null && nonResource is null)
        {
            throw ApiErrors.Invalid(type, "", [FieldError.Invalid("spec.resourceAttributes", "null", "exactly one of nonResourceAttributes or resourceAttributes must be specified")]);
        }
        var attributes = AccessReviewAttributes.From(user, resource, nonResource);
        var decision = RbacAuthorizer.Authorize(attributes, policy);
        return review with { Status = new V1SubjectAccessReviewStatus { Allowed = decision.Allowed, Denied = false, Reason = decision.Reason.Length == 0 ? null : decision.Reason } };
    }

    public static V1SelfSubjectRulesReview Answer(V1SelfSubjectRulesReview review, UserInfo user, RbacPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(review);
        if (review.Spec.Namespace is not { Length: > 0 } ns)
        {
            throw ApiErrors.BadRequest("no namespace on request");
        }
        return review with { Status = RbacAuthorizer.RulesFor(user, ns, policy) };
    }

    public static V1SelfSubjectReview Answer(V1SelfSubjectReview review, UserInfo user)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(user);
        return review with { Status = new V1SelfSubjectReviewStatus { UserInfo = new V1UserInfo { Username = user.Name, Groups = [.. user.Groups] } } };
    }
}
