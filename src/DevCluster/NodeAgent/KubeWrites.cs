using RecOperator.Kube;
using RecOperator.Kube.Client;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// Read-modify-write with optimistic concurrency, as controllers do it: PUT with the resourceVersion we read; on a
/// conflict read the object again and re-apply the change, a few times.
/// </summary>
public static class KubeWrites
{
    private const int Attempts = 5;

    /// <summary>
    /// Applies <paramref name="mutate"/> (null = nothing to change) and writes the object, or its status subresource.
    /// Returns what the server stored, the unchanged object when there was nothing to write, or null when it is gone.
    /// </summary>
    public static async Task<T?> UpdateAsync<T>(ResourceClient<T> client, T current, Func<T, T?> mutate, bool status, CancellationToken ct)
        where T : class, IKubernetesObject
    {
        for (var attempt = 1; ; attempt++)
        {
            var changed = mutate(current);
            if (changed is null)
            {
                return current;
            }
            try
            {
                return status ? await client.UpdateStatusAsync(changed, ct).ConfigureAwait(false) : await client.UpdateAsync(changed, ct).ConfigureAwait(false);
            }
            catch (KubeNotFoundException)
            {
                return null;
            }
            catch (KubeConflictException) when (attempt < Attempts)
            {
                var id = client.Identify(current);
                var fresh = await client.TryGetAsync(id.Name!, id.Namespace, ct).ConfigureAwait(false);
                if (fresh is null)
                {
                    return null;
                }
                current = fresh;
            }
        }
    }
}
