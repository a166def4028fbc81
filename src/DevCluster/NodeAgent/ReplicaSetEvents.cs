using RecOperator.Kube.Client;
using RecOperator.Kube.Events;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>The replicaset-controller's Events (its pod control's reasons and wording).</summary>
public static class ReplicaSetEvents
{
    public static EventOccurrence SuccessfulCreate(V1ReplicaSet rs, V1Pod pod) =>
        EventOccurrence.AboutTyped(rs, EventRecorder.Normal, "SuccessfulCreate", "Create", $"Created pod: {pod.Metadata?.Name}");

    public static EventOccurrence FailedCreate(V1ReplicaSet rs, string error) =>
        EventOccurrence.AboutTyped(rs, EventRecorder.Warning, "FailedCreate", "Create", $"Error creating: {error}");

    public static EventOccurrence SuccessfulDelete(V1ReplicaSet rs, V1Pod pod) =>
        EventOccurrence.AboutTyped(rs, EventRecorder.Normal, "SuccessfulDelete", "Delete", $"Deleted pod: {pod.Metadata?.Name}");

    public static EventOccurrence FailedDelete(V1ReplicaSet rs, string error) =>
        EventOccurrence.AboutTyped(rs, EventRecorder.Warning, "FailedDelete", "Delete", $"Error deleting: {error}");

    /// <summary>
    /// Creates a pod and records SuccessfulCreate, or FailedCreate with the API server's error (which is rethrown,
    /// so the pass fails as it did before and the next one retries).
    /// </summary>
    public static async Task<V1Pod> CreateRecordedAsync(EventQueue events, V1ReplicaSet rs, Func<Task<V1Pod>> create)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(create);
        try
        {
            var pod = await create().ConfigureAwait(false);
            events.Post(SuccessfulCreate(rs, pod));
            return pod;
        }
        catch (KubeApiException e)
        {
            events.Post(FailedCreate(rs, e.Status?.Message ?? e.Message));
            throw;
        }
    }
}
