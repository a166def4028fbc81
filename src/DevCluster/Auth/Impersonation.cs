using Microsoft.AspNetCore.Http;
using RecOperator.DevCluster.Api;

namespace RecOperator.DevCluster.Auth;

/// <summary>
/// The Impersonate-User, Impersonate-Group, Impersonate-Uid and Impersonate-Extra-* headers (`kubectl --as`,
/// `--as-group`), as kube-apiserver's impersonation filter handles them: each thing impersonated must be allowed to the
/// requester as the `impersonate` verb on users, groups, serviceaccounts (namespace and name), uids or userextras/KEY,
/// else 403; the request then runs as the impersonated user. A ServiceAccount's user gets its account's groups when no
/// group is named, and every impersonated user but system:anonymous is in system:authenticated unless the groups named
/// say otherwise.
/// </summary>
public static class Impersonation
{
    private const string UserHeader = "Impersonate-User";
    private const string GroupHeader = "Impersonate-Group";
    private const string UidHeader = "Impersonate-Uid";
    private const string ExtraPrefix = "Impersonate-Extra-";

    /// <summary>The user the request runs as: <paramref name="requester"/> itself without impersonation headers.</summary>
    public static UserInfo Apply(UserInfo requester, IHeaderDictionary headers, Func<RbacPolicy> policy)
    {
        ArgumentNullException.ThrowIfNull(requester);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(policy);
        var userName = headers[UserHeader].ToString();
        var groupsNamed = headers[GroupHeader].Where(g => g is not null).Select(g => g!).ToList();
        var extras = headers.Where(h => h.Key.StartsWith(ExtraPrefix, StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Select(v => (Key: Uri.UnescapeDataString(h.Key[ExtraPrefix.Length..].ToLowerInvariant()), Value: v ?? ""))).ToList();
        var uid = headers[UidHeader].ToString();
        if (userName.Length == 0)
        {
            if (groupsNamed.Count > 0 || extras.Count > 0 || uid.Length > 0)
            {
                throw new ApiException(500, "InternalError", "requested impersonation of groups, extra fields or a uid without impersonating a user");
            }
            return requester;
        }
        var checks = new List<RequestAttributes>();
        var groups = new List<string>();
        if (ServiceAccountUsers.TrySplit(userName, out var ns, out var name))
        {
            checks.Add(Check(requester, "", "serviceaccounts", ns, name));
            if (groupsNamed.Count == 0)
            {
                groups.AddRange(ServiceAccountUsers.Groups(ns));
            }
        }
        else
        {
            checks.Add(Check(requester, "", "users", "", userName));
        }
        foreach (var group in groupsNamed)
        {
            checks.Add(Check(requester, "", "groups", "", group));
            groups.Add(group);
        }
        checks.AddRange(extras.Select(e => Check(requester, "authentication.k8s.io", "userextras", "", e.Value) with { Subresource = e.Key }));
        if (uid.Length > 0)
        {
            checks.Add(Check(requester, "authentication.k8s.io", "uids", "", uid));
        }
        foreach (var check in checks)
        {
            var decision = RbacAuthorizer.Authorize(check, policy());
            if (!decision.Allowed)
            {
                throw ApiErrors.RequestForbidden(check, decision.Reason);
            }
        }
        if (userName != UserInfo.Anonymous && !groups.Contains(UserInfo.Authenticated) && !groups.Contains(UserInfo.Unauthenticated))
        {
            groups.Add(UserInfo.Authenticated);
        }
        else if (userName == UserInfo.Anonymous && !groups.Contains(UserInfo.Unauthenticated))
        {
            groups.Add(UserInfo.Unauthenticated);
        }
        return new UserInfo(userName, groups);
    }

    private static RequestAttributes Check(UserInfo requester, string group, string resource, string ns, string name) => new()
    {
        User = requester,
        Verb = "impersonate",
        IsResourceRequest = true,
        ApiGroup = group,
        Resource = resource,
        Namespace = ns,
        Name = name,
    };
}
