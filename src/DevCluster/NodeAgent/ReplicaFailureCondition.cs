using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The ReplicaFailure condition as kube-controller-manager keeps it: the ReplicaSet controller sets it (status True,
/// reason FailedCreate or FailedDelete, the API error as message) when creating or deleting a pod failed and it is not
/// set yet, and removes it after a pass in which nothing failed; the deployment controller copies it to the Deployment
/// (the new ReplicaSet's first, else any old one's) while it rolls out, and removes it when no ReplicaSet has one.
/// </summary>
public static class ReplicaFailureCondition
{
    public const string Type = "ReplicaFailure";
    public const string FailedCreate = "FailedCreate";
    public const string FailedDelete = "FailedDelete";

    /// <summary>What one pass of managing pods came to: null <see cref="Error"/> when every create and delete succeeded.</summary>
    public sealed record Outcome(string? Reason, string? Error)
    {
        public static Outcome Succeeded { get; } = new(null, null);

        public static Outcome Failed(string reason, Exception error) =>
            new(reason, error is KubeApiException { Status.Message: { } message } ? message : error.Message);
    }

    /// <summary>
    /// The ReplicaSet's conditions after a pass; <paramref name="outcome"/> null (pods not managed this pass, backing
    /// off) keeps them. An existing ReplicaFailure is not rewritten, as calculateStatus only sets one that is absent.
    /// </summary>
    public static IList<V1ReplicaSetCondition>? ForReplicaSet(IList<V1ReplicaSetCondition>? current, Outcome? outcome, DateTimeOffset now)
    {
        var present = current?.Any(c => c.Type == Type) == true;
        if (outcome?.Error is { } error && !present)
        {
            return [.. current ?? [], new V1ReplicaSetCondition { Type = Type, Status = "True", Reason = outcome.Reason, Message = error, LastTransitionTime = now }];
        }
        if (outcome is { Error: null } && present)
        {
            return current!.Where(c => c.Type != Type).ToList() is { Count: > 0 } left ? left : null;
        }
        return current;
    }

    /// <summary>getReplicaFailures + ReplicaSetToDeploymentCondition: the new ReplicaSet's failure wins over old ones'.</summary>
    public static V1DeploymentCondition? ForDeployment(V1ReplicaSet? newRs, IEnumerable<V1ReplicaSet> all)
    {
        var failure = newRs?.Status?.Conditions?.FirstOrDefault(c => c.Type == Type)
            ?? all.SelectMany(rs => rs.Status?.Conditions ?? []).FirstOrDefault(c => c.Type == Type);
        return failure is null ? null : new V1DeploymentCondition
        {
            Type = Type, Status = failure.Status, Reason = failure.Reason, Message = failure.Message,
            LastTransitionTime = failure.LastTransitionTime, LastUpdateTime = failure.LastTransitionTime,
        };
    }
}
