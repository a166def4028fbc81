using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Auth;

/// <summary>
/// The rules one binding gives a user, described as kube-apiserver names it in an allow reason
/// (`ClusterRoleBinding "x" of ClusterRole "y" to User "z"`); or, when the binding's role is missing, the error.
/// </summary>
public sealed record RuleSource(string Description, IReadOnlyList<V1PolicyRule> Rules, string? Error = null);
