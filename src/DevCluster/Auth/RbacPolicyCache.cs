using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using RecOperator.DevCluster.Resources;
using RecOperator.DevCluster.Storage;
using RecOperator.Kube;

namespace RecOperator.DevCluster.Auth;

/// <summary>
/// The <see cref="RbacPolicy"/> of the store's current RBAC objects, rebuilt only when one of them changed: the store's
/// snapshots are immutable, so the four collections of the last build are compared by reference on each request (four
/// dictionary lookups) and nothing is read or parsed while they stay the same.
/// </summary>
public sealed class RbacPolicyCache(ObjectStore store)
{
    private static readonly string ClusterRoles = StorageKeyOf("ClusterRole");
    private static readonly string ClusterRoleBindings = StorageKeyOf("ClusterRoleBinding");
    private static readonly string Roles = StorageKeyOf("Role");
    private static readonly string RoleBindings = StorageKeyOf("RoleBinding");

    private Built? _last;

    public RbacPolicy Current
    {
        get
        {
            var resources = store.Snapshot.Resources;
            var sources = new Sources(resources.GetValueOrDefault(ClusterRoles), resources.GetValueOrDefault(ClusterRoleBindings),
                resources.GetValueOrDefault(Roles), resources.GetValueOrDefault(RoleBindings));
            var last = Volatile.Read(ref _last);
            if (last is not null && last.From == sources)
            {
                return last.Policy;
            }
            // Two requests that race here both build from an immutable snapshot; whichever is stored last is as good.
            var built = new Built(sources, RbacPolicy.Build(Parse(sources.ClusterRoles, KubeJsonContext.Default.V1ClusterRole),
                Parse(sources.ClusterRoleBindings, KubeJsonContext.Default.V1ClusterRoleBinding),
                Parse(sources.Roles, KubeJsonContext.Default.V1Role), Parse(sources.RoleBindings, KubeJsonContext.Default.V1RoleBinding)));
            Volatile.Write(ref _last, built);
            return built.Policy;
        }
    }

    private static List<T> Parse<T>(ImmutableSortedDictionary<string, StoredObject>? objects, JsonTypeInfo<T> type)
        where T : class =>
        (objects?.Values ?? []).Select(o => JsonSerializer.Deserialize(o.Json, type)!).ToList();

    private static string StorageKeyOf(string kind) =>
        BuiltInResources.All.First(r => r.Group == "rbac.authorization.k8s.io" && r.Kind == kind).StorageKey;

    /// <summary>Compared by reference: a snapshot's collection is a new instance exactly when one of its objects changed.</summary>
    private sealed record Sources(
        ImmutableSortedDictionary<string, StoredObject>? ClusterRoles, ImmutableSortedDictionary<string, StoredObject>? ClusterRoleBindings,
        ImmutableSortedDictionary<string, StoredObject>? Roles, ImmutableSortedDictionary<string, StoredObject>? RoleBindings);

    private sealed record Built(Sources From, RbacPolicy Policy);
}
