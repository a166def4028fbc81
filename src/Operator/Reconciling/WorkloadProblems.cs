using RecOperator.Kube.Models;

namespace RecOperator.Operator.Reconciling;

/// <summary>What is wrong with a model's running workload, read from its pods and Deployments. Pure.</summary>
public sealed record WorkloadProblems(int Unschedulable, IReadOnlyList<string> ArtifactErrors, IReadOnlyList<string> StuckDeployments)
{
    // The inference pod's own wording for an artifact it cannot use (ArtifactException), as the container's
    // termination message or waiting message shows it.
    private const string ArtifactMessagePrefix = "artifact '";

    public static WorkloadProblems Find(IReadOnlyList<V1Pod> pods, IReadOnlyList<V1Deployment> deployments)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(deployments);
        var unschedulable = pods.Count(p => p.Status?.Phase == "Pending"
            && p.Status.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == Conditions.False && c.Reason == "Unschedulable") == true);
        var artifact = pods
            .SelectMany(p => p.Status?.ContainerStatuses ?? [])
            .SelectMany(s => new[] { s.State?.Waiting?.Message, s.State?.Terminated?.Message, s.LastState?.Terminated?.Message })
            .OfType<string>()
            .Where(m => m.Contains(ArtifactMessagePrefix, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var stuck = deployments
            .Where(d => d.Status?.Conditions?.Any(c => c.Type == "Progressing" && c.Status == Conditions.False && c.Reason == "ProgressDeadlineExceeded") == true)
            .Select(d => d.Metadata?.Name ?? "")
            .ToList();
        return new WorkloadProblems(unschedulable, artifact, stuck);
    }
}
