using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// Applies a <see cref="ControllerClaims{T}"/>: adopts and releases through read-modify-write, each change re-judged on
/// the object as read (another controller may have adopted it first), and records what the server stored.
/// </summary>
public static class ClaimWrites
{
    public static async Task ApplyAsync<T>(ResourceClient<T> client, ObjectCache<T> cache, ControllerClaims<T> claims, V1OwnerReference owner,
        Func<T, V1ObjectMeta, T> withMetadata, CancellationToken ct)
        where T : class, IKubernetesObject
    {
        foreach (var orphan in claims.Adopt)
        {
            Record(cache, await KubeWrites.UpdateAsync(client, orphan,
                o => ControllerClaims.Adopted(o.Metadata!, owner) is { } meta ? withMetadata(o, meta) : null, status: false, ct).ConfigureAwait(false));
        }
        foreach (var owned in claims.Release)
        {
            Record(cache, await KubeWrites.UpdateAsync(client, owned,
                o => ControllerClaims.Released(o.Metadata!, owner.Uid) is { } meta ? withMetadata(o, meta) : null, status: false, ct).ConfigureAwait(false));
        }
    }

    private static void Record<T>(ObjectCache<T> cache, T? written)
        where T : class, IKubernetesObject
    {
        if (written is not null)
        {
            cache.Record(written);
        }
    }
}
