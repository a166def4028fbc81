using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;

namespace RecOperator.Operator.Reconciling;

/// <summary>What is wrong with a model's running workload, read from its pods and Deployments. Pure.</summary>
/// <param name="Unschedulable">Pods Pending because no node has room.</param>
/// <param name="CaBundleErrors">One line per variant whose pods are held back because the artifact's caBundle
/// (its ConfigMap or Secret, or the key) cannot be mounted, naming the variant and what is missing.</param>
/// <param name="ArtifactErrors">The pods' own messages about an artifact they cannot use.</param>
/// <param name="StuckDeployments">Deployments past their progress deadline.</param>
public sealed record WorkloadProblems(
    int Unschedulable, IReadOnlyList<string> CaBundleErrors, IReadOnlyList<string> ArtifactErrors, IReadOnlyList<string> StuckDeployments)
{
    // The inference pod's own wording for an artifact it cannot use (ArtifactException), as the container's
    // termination message or waiting message shows it.
    private const string ArtifactMessagePrefix = "artifact '";

    // The kubelet's wording for a volume it cannot set up; DevCluster's node agent puts it in the waiting message.
    private const string CaMountPrefix = "MountVolume.SetUp failed for volume \"" + ArtifactCaBundle.VolumeName + "\" : ";

    public static WorkloadProblems Find(IReadOnlyList<V1Pod> pods, IReadOnlyList<V1Deployment> deployments)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(deployments);
        var unschedulable = pods.Count(p => p.Status?.Phase == "Pending"
            && p.Status.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == Conditions.False && c.Reason == "Unschedulable") == true);
        var caBundle = pods
            .SelectMany(p => (p.Status?.ContainerStatuses ?? []).Select(s => (Pod: p, Message: s.State?.Waiting?.Message)))
            .Where(m => m.Message?.StartsWith(CaMountPrefix, StringComparison.Ordinal) == true)
            .Select(m => $"variant {VariantOf(m.Pod)} cannot mount its artifact caBundle: {m.Message![CaMountPrefix.Length..]}")
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
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
        return new WorkloadProblems(unschedulable, caBundle, artifact, stuck);
    }

    // Every pod of a model carries its variant's label; a pod without one is named instead of dropped.
    private static string VariantOf(V1Pod pod) =>
        pod.Metadata?.Labels?.TryGetValue(ChildLabels.Variant, out var variant) == true ? variant : $"of pod {pod.Metadata?.Name}";
}
