using System.Text.Json;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Resources;
using RecOperator.DevCluster.Validation;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Auth;

/// <summary>
/// authorization.k8s.io/v1 SubjectAccessReview and LocalSubjectAccessReview: may the user and groups the spec names do
/// what its attributes say? Validated with kube-apiserver's field errors, then authorized by the RBAC objects alone
/// (the groups are taken as given: nothing adds system:authenticated). RBAC never denies, so `denied` stays false.
/// </summary>
public static class SubjectAccessReviews
{
    public static V1SubjectAccessReview Answer(V1SubjectAccessReview review, RbacPolicy policy, ResourceType type)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(type);
        var errors = ValidateSpec(review.Spec);
        if (!IsEmpty(review.Metadata, keepNamespace: false))
        {
            errors.Add(FieldError.Invalid("metadata", Metadata(review.Metadata), "must be empty"));
        }
        Refuse(type, errors);
        return review with { Status = Decide(review.Spec, policy) };
    }

    /// <summary>In the namespace of the URL, which the body's metadata and resourceAttributes must name (nonResourceAttributes are refused).</summary>
    public static V1LocalSubjectAccessReview Answer(V1LocalSubjectAccessReview review, string ns, RbacPolicy policy, ResourceType type)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(type);
        if (ns.Length == 0)
        {
            throw ApiErrors.BadRequest("namespace is required on this type: ");
        }
        if (review.Metadata?.Namespace is { Length: > 0 } bodyNamespace && bodyNamespace != ns)
        {
            throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        var errors = ValidateSpec(review.Spec);
        if (!IsEmpty(review.Metadata, keepNamespace: true))
        {
            errors.Add(FieldError.Invalid("metadata", Metadata(review.Metadata), "must be empty except for namespace"));
        }
        if (review.Spec.ResourceAttributes is { } resource && (resource.Namespace ?? "") != ns)
        {
            errors.Add(FieldError.Invalid("spec.resourceAttributes.namespace", GoText.Quote(resource.Namespace ?? ""), "must match metadata.namespace"));
        }
        if (review.Spec.NonResourceAttributes is not null)
        {
            errors.Add(FieldError.Invalid("spec.nonResourceAttributes", NonResource(review.Spec.NonResourceAttributes), "disallowed on this kind of request"));
        }
        Refuse(type, errors);
        return review with { Metadata = (review.Metadata ?? new V1ObjectMeta()) with { Namespace = ns }, Status = Decide(review.Spec, policy) };
    }

    /// <summary>ValidateSubjectAccessReviewSpec: exactly one kind of attributes, and a user or a group.</summary>
    private static List<FieldError> ValidateSpec(V1SubjectAccessReviewSpec spec)
    {
        var errors = new List<FieldError>();
        if (spec.ResourceAttributes is not null && spec.NonResourceAttributes is not null)
        {
            errors.Add(FieldError.Invalid("spec.nonResourceAttributes", NonResource(spec.NonResourceAttributes), "cannot be specified in combination with resourceAttributes"));
        }
        if (spec.ResourceAttributes is null && spec.NonResourceAttributes is null)
        {
            errors.Add(FieldError.Invalid("spec.resourceAttributes", "null", "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        }
        if (string.IsNullOrEmpty(spec.User) && spec.Groups is not { Count: > 0 })
        {
            errors.Add(FieldError.Invalid("spec.user", GoText.Quote(spec.User ?? ""), "at least one of user or group must be specified"));
        }
        return errors;
    }

    private static V1SubjectAccessReviewStatus Decide(V1SubjectAccessReviewSpec spec, RbacPolicy policy)
    {
        var user = new UserInfo(spec.User ?? "", [.. spec.Groups ?? []]);
        var decision = RbacAuthorizer.Authorize(AccessReviewAttributes.From(user, spec.ResourceAttributes, spec.NonResourceAttributes), policy);
        return new V1SubjectAccessReviewStatus { Allowed = decision.Allowed, Denied = false, Reason = decision.Reason.Length == 0 ? null : decision.Reason };
    }

    private static void Refuse(ResourceType type, List<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(type, "", errors);
        }
    }

    private static bool IsEmpty(V1ObjectMeta? meta, bool keepNamespace) =>
        meta is null || (meta with { Namespace = keepNamespace ? null : meta.Namespace, ManagedFields = null }) == new V1ObjectMeta();

    // Go prints these values as the structs they are; here as their JSON, which names the same fields.
    private static string Metadata(V1ObjectMeta? meta) => meta is null ? "null" : JsonSerializer.Serialize(meta, KubeJsonContext.Default.V1ObjectMeta);

    private static string NonResource(V1NonResourceAttributes? attributes) =>
        attributes is null ? "null" : JsonSerializer.Serialize(attributes, KubeJsonContext.Default.V1NonResourceAttributes);
}
