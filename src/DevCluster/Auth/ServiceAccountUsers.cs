using RecOperator.DevCluster.Validation;

namespace RecOperator.DevCluster.Auth;

/// <summary>
/// The fixed mapping between a ServiceAccount and the user its tokens authenticate as:
/// `system:serviceaccount:NS:NAME` in groups system:serviceaccounts and system:serviceaccounts:NS.
/// </summary>
public static class ServiceAccountUsers
{
    private const string UserPrefix = "system:serviceaccount:";

    /// <summary>Every ServiceAccount's group.</summary>
    public const string AllServiceAccounts = "system:serviceaccounts";

    public static string Username(string ns, string name) => $"{UserPrefix}{ns}:{name}";

    /// <summary>The groups a ServiceAccount's user is in, without system:authenticated (impersonation adds that itself).</summary>
    public static IReadOnlyList<string> Groups(string ns) => [AllServiceAccounts, $"{AllServiceAccounts}:{ns}"];

    /// <summary>The user a token of the account authenticates as.</summary>
    public static UserInfo User(string ns, string name) => new(Username(ns, name), [.. Groups(ns), UserInfo.Authenticated]);

    /// <summary>
    /// Splits `system:serviceaccount:NS:NAME`. As kube-apiserver's SplitUsername, the namespace must be a DNS label and
    /// the name a DNS subdomain; anything else is an ordinary user name (impersonated as a User, not a ServiceAccount).
    /// </summary>
    public static bool TrySplit(string username, out string ns, out string name)
    {
        ArgumentNullException.ThrowIfNull(username);
        (ns, name) = ("", "");
        if (!username.StartsWith(UserPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        var parts = username[UserPrefix.Length..].Split(':');
        if (parts.Length != 2 || !NameRules.IsDnsLabel(parts[0]) || !NameRules.IsDnsSubdomain(parts[1]))
        {
            return false;
        }
        (ns, name) = (parts[0], parts[1]);
        return true;
    }
}
