using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Auth;

/// <summary>
/// kube-apiserver's authorizer chain as DevCluster runs it, as pure functions of the request and the RBAC objects:
/// members of system:masters are allowed everything before any role is read; everyone else is allowed what a rule of
/// a binding that names them allows.
/// </summary>
public static class RbacAuthorizer
{
    public static AuthorizationDecision Authorize(RequestAttributes request, RbacPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policy);
        if (request.User.IsMaster)
        {
            return AuthorizationDecision.AllowedWithoutReason;
        }
        var errors = new List<string>();
        foreach (var source in policy.SourcesFor(request.User, request.Namespace))
        {
            if (source.Error is { } error)
            {
                errors.Add(error);
            }
            else if (source.Rules.Any(rule => RbacRules.Allows(rule, request)))
            {
                return new AuthorizationDecision(true, $"RBAC: allowed by {source.Description}");
            }
        }
        // RBAC has no opinion rather than a denial; what it met on the way (a binding to a missing role) is the reason.
        return new AuthorizationDecision(false, errors.Count == 0 ? "" : $"RBAC: {Aggregate(errors)}");
    }

    /// <summary>What a SelfSubjectRulesReview lists: every rule of every binding that applies to the user in <paramref name="ns"/>.</summary>
    public static V1SubjectRulesReviewStatus RulesFor(UserInfo user, string ns, RbacPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var resourceRules = new List<V1ResourceRule>();
        var nonResourceRules = new List<V1NonResourceRule>();
        var errors = new List<string>();
        foreach (var source in policy.SourcesFor(user, ns))
        {
            if (source.Error is { } error)
            {
                errors.Add(error);
            }
            foreach (var rule in source.Rules)
            {
                if (rule.Resources is { Count: > 0 })
                {
                    resourceRules.Add(new V1ResourceRule { Verbs = rule.Verbs, ApiGroups = rule.ApiGroups, Resources = rule.Resources, ResourceNames = rule.ResourceNames });
                }
                if (rule.NonResourceURLs is { Count: > 0 })
                {
                    nonResourceRules.Add(new V1NonResourceRule { Verbs = rule.Verbs, NonResourceURLs = rule.NonResourceURLs });
                }
            }
        }
        return new V1SubjectRulesReviewStatus
        {
            ResourceRules = resourceRules,
            NonResourceRules = nonResourceRules,
            Incomplete = false,
            EvaluationError = errors.Count == 0 ? null : Aggregate(errors),
        };
    }

    /// <summary>Go's error aggregate: one error as it is, several once each in brackets.</summary>
    private static string Aggregate(List<string> errors)
    {
        var distinct = errors.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count == 1 ? distinct[0] : $"[{string.Join(", ", distinct)}]";
    }
}
