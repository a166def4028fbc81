using RecOperator.Kube.Client;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The ReplicaSet controller's slowStartBatch: missing pods are created in batches of 1, 2, 4, 8 ... (the last one what
/// is left), each batch at once, and the first batch with a failure ends the pass. A template the API server refuses
/// then costs one request per pass instead of one per missing pod.
/// </summary>
public static class CreateBatches
{
    /// <summary>kube-controller-manager's SlowStartInitialBatchSize.</summary>
    public const int InitialBatchSize = 1;

    /// <summary>kube-controller-manager's burstReplicas: at most this many pods are created (or deleted) in one pass.</summary>
    public const int BurstReplicas = 500;

    /// <summary>The batch sizes for <paramref name="count"/> pods, in order.</summary>
    public static IReadOnlyList<int> Sizes(int count)
    {
        var sizes = new List<int>();
        var remaining = Math.Min(Math.Max(0, count), BurstReplicas);
        for (var batch = Math.Min(remaining, InitialBatchSize); batch > 0; batch = Math.Min(2 * batch, remaining))
        {
            sizes.Add(batch);
            remaining -= batch;
        }
        return sizes;
    }

    /// <summary>
    /// Runs <paramref name="create"/> once per pod, batch by batch. Returns how many succeeded and the first failure
    /// (null when all did); batches after a failing one are not started.
    /// </summary>
    public static async Task<(int Created, Exception? Failure)> RunAsync(int count, Func<CancellationToken, Task> create, CancellationToken ct)
    {
        var created = 0;
        foreach (var size in Sizes(count))
        {
            var batch = Enumerable.Range(0, size).Select(_ => Capture(create, ct)).ToList();
            var failures = (await Task.WhenAll(batch).ConfigureAwait(false)).OfType<Exception>().ToList();
            created += size - failures.Count;
            if (failures.Count > 0)
            {
                return (created, failures[0]);
            }
        }
        return (created, null);
    }

    // One create's failure as a value, so a batch's other creates still finish (as the real one waits for its batch).
    private static async Task<Exception?> Capture(Func<CancellationToken, Task> create, CancellationToken ct)
    {
        try
        {
            await create(ct).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException)
        {
            return e;
        }
    }
}
