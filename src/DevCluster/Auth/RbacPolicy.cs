using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Auth;

/// <summary>
/// The RBAC objects indexed for authorization: each ClusterRole's and Role's rules by name, the ClusterRoleBindings,
/// and the RoleBindings of each namespace, all in name order so decisions and reasons are the same on every run. A
/// ClusterRole with an aggregationRule has the rules of the ClusterRoles its selectors pick, as the aggregation
/// controller would write them into it. Built by a pure function; immutable once built.
/// </summary>
public sealed class RbacPolicy
{
    private readonly IReadOnlyDictionary<string, IReadOnlyList<V1PolicyRule>> _clusterRoles;
    private readonly IReadOnlyDictionary<(string Namespace, string Name), IReadOnlyList<V1PolicyRule>> _roles;
    private readonly IReadOnlyList<V1ClusterRoleBinding> _clusterRoleBindings;
    private readonly IReadOnlyDictionary<string, List<V1RoleBinding>> _roleBindings;

    private RbacPolicy(
        IReadOnlyDictionary<string, IReadOnlyList<V1PolicyRule>> clusterRoles,
        IReadOnlyDictionary<(string, string), IReadOnlyList<V1PolicyRule>> roles,
        IReadOnlyList<V1ClusterRoleBinding> clusterRoleBindings,
        IReadOnlyDictionary<string, List<V1RoleBinding>> roleBindings) =>
        (_clusterRoles, _roles, _clusterRoleBindings, _roleBindings) = (clusterRoles, roles, clusterRoleBindings, roleBindings);

    public static RbacPolicy Build(
        IEnumerable<V1ClusterRole> clusterRoles, IEnumerable<V1ClusterRoleBinding> clusterRoleBindings, IEnumerable<V1Role> roles, IEnumerable<V1RoleBinding> roleBindings)
    {
        var byName = clusterRoles.OrderBy(r => r.Metadata?.Name, StringComparer.Ordinal).ToList();
        var clusterRules = byName.ToDictionary(r => r.Metadata?.Name ?? "", r => r.AggregationRule?.ClusterRoleSelectors is { Count: > 0 } selectors
            ? Aggregate(r.Metadata?.Name ?? "", selectors, byName)
            : (IReadOnlyList<V1PolicyRule>)[.. r.Rules ?? []], StringComparer.Ordinal);
        var roleRules = roles.ToDictionary(r => (r.Metadata?.Namespace ?? "", r.Metadata?.Name ?? ""), r => (IReadOnlyList<V1PolicyRule>)[.. r.Rules ?? []]);
        return new RbacPolicy(clusterRules, roleRules,
            [.. clusterRoleBindings.OrderBy(b => b.Metadata?.Name, StringComparer.Ordinal)],
            roleBindings.GroupBy(b => b.Metadata?.Namespace ?? "", StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.OrderBy(b => b.Metadata?.Name, StringComparer.Ordinal).ToList(), StringComparer.Ordinal));
    }

    /// <summary>
    /// The bindings that apply to <paramref name="user"/>, with their roles' rules, in the order RBAC visits them: the
    /// ClusterRoleBindings, then (for a namespaced request) the RoleBindings of <paramref name="ns"/>.
    /// </summary>
    public IEnumerable<RuleSource> SourcesFor(UserInfo user, string ns)
    {
        ArgumentNullException.ThrowIfNull(user);
        foreach (var binding in _clusterRoleBindings)
        {
            if (FirstSubjectFor(user, binding.Subjects, "") is { } subject)
            {
                var description = $"ClusterRoleBinding \"{binding.Metadata?.Name}\" of {binding.RoleRef.Kind} \"{binding.RoleRef.Name}\" to {Describe(subject, "")}";
                yield return RulesOf(binding.RoleRef, "", description);
            }
        }
        if (ns.Length == 0 || !_roleBindings.TryGetValue(ns, out var inNamespace))
        {
            yield break;
        }
        foreach (var binding in inNamespace)
        {
            if (FirstSubjectFor(user, binding.Subjects, ns) is { } subject)
            {
                var description = $"RoleBinding \"{binding.Metadata?.Name}/{ns}\" of {binding.RoleRef.Kind} \"{binding.RoleRef.Name}\" to {Describe(subject, ns)}";
                yield return RulesOf(binding.RoleRef, ns, description);
            }
        }
    }

    private RuleSource RulesOf(V1RoleRef role, string ns, string description) => role.Kind switch
    {
        "ClusterRole" => _clusterRoles.TryGetValue(role.Name, out var rules)
            ? new RuleSource(description, rules)
            : new RuleSource(description, [], $"clusterrole.rbac.authorization.k8s.io \"{role.Name}\" not found"),
        "Role" => _roles.TryGetValue((ns, role.Name), out var rules)
            ? new RuleSource(description, rules)
            : new RuleSource(description, [], $"role.rbac.authorization.k8s.io \"{role.Name}\" not found"),
        _ => new RuleSource(description, [], $"unsupported role reference kind: \"{role.Kind}\""),
    };

    /// <summary>A binding applies through its first subject that names the user, one of its groups, or its ServiceAccount.</summary>
    private static V1Subject? FirstSubjectFor(UserInfo user, IList<V1Subject>? subjects, string bindingNamespace) =>
        subjects?.FirstOrDefault(s => s.Kind switch
        {
            "User" => s.Name == user.Name,
            "Group" => user.Groups.Contains(s.Name, StringComparer.Ordinal),
            // A RoleBinding's ServiceAccount subject without a namespace means one in the binding's own namespace.
            "ServiceAccount" => (s.Namespace is { Length: > 0 } own ? own : bindingNamespace) is { Length: > 0 } saNamespace
                && user.Name == ServiceAccountUsers.Username(saNamespace, s.Name),
            _ => false,
        });

    private static string Describe(V1Subject subject, string bindingNamespace) => subject.Kind == "ServiceAccount"
        ? $"{subject.Kind} \"{subject.Name}/{(subject.Namespace is { Length: > 0 } ns ? ns : bindingNamespace)}\""
        : $"{subject.Kind} \"{subject.Name}\"";

    /// <summary>The aggregation controller's result: the rules of every other ClusterRole a selector picks, in name order, each once.</summary>
    private static List<V1PolicyRule> Aggregate(string name, IList<V1LabelSelector> selectors, IReadOnlyList<V1ClusterRole> byName)
    {
        var rules = new List<V1PolicyRule>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var selector in selectors.Select(s => LabelSelector.Of(JsonSerializer.SerializeToNode(s, KubeJsonContext.Default.V1LabelSelector) as JsonObject ?? [])))
        {
            foreach (var role in byName.Where(r => r.Metadata?.Name != name && selector.Matches(LabelsOf(r))))
            {
                rules.AddRange((role.Rules ?? []).Where(rule => seen.Add(JsonSerializer.Serialize(rule, KubeJsonContext.Default.V1PolicyRule))));
            }
        }
        return rules;
    }

    private static Dictionary<string, string> LabelsOf(V1ClusterRole role) =>
        role.Metadata?.Labels is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : [];
}
