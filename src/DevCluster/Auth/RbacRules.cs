using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Auth;

/// <summary>
/// Whether one PolicyRule allows a request, as RBAC matches them: every verb, group, resource and name listed (or `*`);
/// `pods/log` names a subresource and `*/log` that subresource of every resource; a rule with resourceNames allows only
/// requests that name one of them (so never a list of everything); nonResourceURLs match a path exactly, by a trailing
/// `*` prefix, or all with `*`.
/// </summary>
public static class RbacRules
{
    private const string All = "*";

    public static bool Allows(V1PolicyRule rule, RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(request);
        if (!VerbMatches(rule, request.Verb))
        {
            return false;
        }
        return request.IsResourceRequest
            ? ApiGroupMatches(rule, request.ApiGroup) && ResourceMatches(rule, request.Resource, request.Subresource) && ResourceNameMatches(rule, request.Name)
            : NonResourceUrlMatches(rule, request.Path);
    }

    private static bool VerbMatches(V1PolicyRule rule, string verb) => rule.Verbs.Any(v => v == All || v == verb);

    private static bool ApiGroupMatches(V1PolicyRule rule, string group) => (rule.ApiGroups ?? []).Any(g => g == All || g == group);

    private static bool ResourceMatches(V1PolicyRule rule, string resource, string subresource)
    {
        var combined = subresource.Length == 0 ? resource : $"{resource}/{subresource}";
        return (rule.Resources ?? []).Any(r => r == All || r == combined || (subresource.Length > 0 && r == $"*/{subresource}"));
    }

    private static bool ResourceNameMatches(V1PolicyRule rule, string name) =>
        rule.ResourceNames is not { Count: > 0 } names || names.Contains(name);

    private static bool NonResourceUrlMatches(V1PolicyRule rule, string path) =>
        (rule.NonResourceURLs ?? []).Any(url => url == All || url == path || (url.EndsWith('*') && path.StartsWith(url.TrimEnd('*'), StringComparison.Ordinal)));
}
