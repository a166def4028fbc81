using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using RecOperator.DevCluster.Resources;
using RecOperator.DevCluster.Storage;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Auth;

/// <summary>
/// Whether a signed token's claims still stand, as kube-apiserver's service-account authenticator decides (with its
/// lookup of the objects): issued here for this API server's audience, not expired, its ServiceAccount present with the
/// same uid (deleted and re-created is a different account), and its bound Pod or Secret present with the same uid; a
/// bound pod's token ends with the pod's deletion grace period. A pure function of the claims, the store snapshot and now.
/// </summary>
public static class ServiceAccountTokenValidator
{
    private static readonly string ServiceAccounts = StorageKeyOf("ServiceAccount");
    private static readonly string Pods = StorageKeyOf("Pod");
    private static readonly string Secrets = StorageKeyOf("Secret");

    public static UserInfo? Validate(TokenClaims claims, StoreState state, DateTimeOffset now) => Validate(claims, state, now, ServiceAccountTokens.ApiAudiences);

    /// <summary>As a request's token is checked, but for the <paramref name="audiences"/> a TokenReview asks about.</summary>
    public static UserInfo? Validate(TokenClaims claims, StoreState state, DateTimeOffset now, IReadOnlyList<string> audiences)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(audiences);
        if (claims.Issuer != ServiceAccountTokens.Issuer || !claims.Audiences.Any(audiences.Contains) || now >= claims.Expires)
        {
            return null;
        }
        var account = Read(state, ServiceAccounts, claims.Namespace, claims.ServiceAccountName, KubeJsonContext.Default.V1ServiceAccount);
        if (account?.Metadata?.Uid != claims.ServiceAccountUid)
        {
            return null;
        }
        switch (claims.BoundTo)
        {
            case { Kind: "Pod" } pod:
                var live = Read(state, Pods, claims.Namespace, pod.Name, KubeJsonContext.Default.V1Pod);
                if (live?.Metadata?.Uid != pod.Uid || live.Metadata.DeletionTimestamp is { } deleting && deleting <= now)
                {
                    return null;
                }
                break;
            case { Kind: "Secret" } secret:
                if (Read(state, Secrets, claims.Namespace, secret.Name, KubeJsonContext.Default.V1Secret)?.Metadata?.Uid != secret.Uid)
                {
                    return null;
                }
                break;
        }
        return ServiceAccountUsers.User(claims.Namespace, claims.ServiceAccountName);
    }

    private static T? Read<T>(StoreState state, string storageKey, string ns, string name, JsonTypeInfo<T> type)
        where T : class =>
        state.Of(storageKey).GetValueOrDefault(StoredObject.KeyOf(ns, name)) is { } stored ? JsonSerializer.Deserialize(stored.Json, type) : null;

    private static string StorageKeyOf(string kind) => BuiltInResources.All.First(r => r.Group.Length == 0 && r.Kind == kind).StorageKey;
}
