using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;

namespace RecOperator.Operator.Reconciling;

/// <summary>What is wrong with a model's running workload, read from its pods, Deployments and mount Events. Pure.</summary>
/// <param name="Unschedulable">Pods Pending because the scheduler found no node for them.</param>
/// <param name="UnschedulableReasons">Per variant@pool with such pods, the scheduler's message for one of them (which
/// filter failed on how many nodes: room, a nodeSelector, a taint), so the condition says why, not just that.</param>
/// <param name="CaBundleErrors">One line per variant and cause whose pods are held back because the artifact's
/// caBundle (its ConfigMap or Secret, or the key) cannot be mounted, naming the variant and what is missing.</param>
/// <param name="ArtifactErrors">The pods' own messages about an artifact they cannot use.</param>
/// <param name="StuckDeployments">Deployments past their progress deadline.</param>
/// <param name="CredentialsErrors">One line per variant whose pods are held back because the Secret its artifact's
/// credentialsSecret names does not exist (the container's envFrom cannot be resolved), naming the variant and Secret.</param>
/// <param name="CrashLoops">One line per variant and cause whose containers wait in CrashLoopBackOff for a reason other
/// than its artifact, with the last line the container wrote before it exited (a bad setting, a provider that cannot load).</param>
public sealed partial record WorkloadProblems(
    int Unschedulable, IReadOnlyList<string> CaBundleErrors, IReadOnlyList<string> ArtifactErrors, IReadOnlyList<string> StuckDeployments,
    IReadOnlyList<string> CredentialsErrors, IReadOnlyList<string> CrashLoops, IReadOnlyList<string> UnschedulableReasons)
{
    /// <summary>What a kubelet's container waits in between restarts of a container that keeps exiting.</summary>
    public const string CrashLoopBackOff = "CrashLoopBackOff";

    /// <summary>What a kubelet's container waits in when its env or envFrom cannot be resolved (a missing Secret, for one).</summary>
    public const string CreateContainerConfigError = "CreateContainerConfigError";

    /// <summary>The reason of the kubelet's Event for a volume it cannot set up.</summary>
    public const string FailedMountReason = "FailedMount";

    /// <summary>What a real kubelet's container waits in while the pod's volumes are not mounted (and after, briefly).</summary>
    public const string ContainerCreating = "ContainerCreating";

    // The inference pod's own wording for an artifact it cannot use (ArtifactException), as the container's
    // termination message or waiting message shows it.
    private const string ArtifactMessagePrefix = "artifact '";

    /// <summary>
    /// The line of a container message that says what is wrong with the artifact: the last one that names it. Under
    /// FallbackToLogsOnError the message is the end of the pod's log, up to 80 lines, and the pod's last words come last.
    /// </summary>
    private static string? ArtifactLine(string message) =>
        message.Split('\n').LastOrDefault(line => line.Contains(ArtifactMessagePrefix, StringComparison.Ordinal))?.Trim();

    // The kubelet's wording for a volume it cannot set up: a real kubelet puts it in a FailedMount Event on the pod,
    // DevCluster's node agent in the container's waiting message.
    private const string CaMountPrefix = "MountVolume.SetUp failed for volume \"" + ArtifactCaBundle.VolumeName + "\" : ";

    /// <summary>
    /// Whether a pod may be held back by a volume where only an Event would say so: a real kubelet leaves it Pending
    /// with its containers waiting in ContainerCreating and no message. Only then are the Events worth listing.
    /// </summary>
    public static bool AnyContainerCreating(IReadOnlyList<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        return pods.Any(IsContainerCreating);
    }

    /// <param name="pods">The model's pods.</param>
    /// <param name="deployments">The model's Deployments.</param>
    /// <param name="mountEvents">FailedMount Events of the namespace (none where no pod is ContainerCreating).</param>
    public static WorkloadProblems Find(IReadOnlyList<V1Pod> pods, IReadOnlyList<V1Deployment> deployments, IReadOnlyList<CoreV1Event>? mountEvents = null)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(deployments);
        var unschedulable = pods
            .Select(p => (Pod: p, Condition: p.Status?.Phase == "Pending"
                ? p.Status.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == Conditions.False && c.Reason == "Unschedulable")
                : null))
            .Where(u => u.Condition is not null)
            .ToList();
        var unschedulableReasons = unschedulable
            .GroupBy(u => Placement(u.Pod), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Select(u => u.Condition!.Message).FirstOrDefault(m => !string.IsNullOrWhiteSpace(m)) is { } message ? $"{g.Key}: {message.Trim()}" : g.Key)
            .ToList();
        var artifact = pods
            .SelectMany(p => p.Status?.ContainerStatuses ?? [])
            .SelectMany(s => new[] { s.State?.Waiting?.Message, s.State?.Terminated?.Message, s.LastState?.Terminated?.Message })
            .OfType<string>()
            .Select(ArtifactLine)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var stuck = deployments
            .Where(d => d.Status?.Conditions?.Any(c => c.Type == "Progressing" && c.Status == Conditions.False && c.Reason == "ProgressDeadlineExceeded") == true)
            .Select(d => d.Metadata?.Name ?? "")
            .ToList();
        return new WorkloadProblems(unschedulable.Count, CaBundleProblems(pods, mountEvents ?? []), artifact, stuck, CredentialsProblems(pods), CrashLoopProblems(pods),
            unschedulableReasons);
    }

    // An artifact the pod cannot use is named by ArtifactErrors already; every other exit is told by the container's
    // last line (the inference pod's start-up error names the setting). Without this, a model whose pods crash-looped
    // on a bad --user-inputs read "no problem found".
    private static List<string> CrashLoopProblems(IReadOnlyList<V1Pod> pods) => pods
        .SelectMany(p => (p.Status?.ContainerStatuses ?? [])
            .Where(s => s.State?.Waiting?.Reason == CrashLoopBackOff)
            .Select(s => (Pod: p, Message: LastLine(s.LastState?.Terminated?.Message), ExitCode: s.LastState?.Terminated?.ExitCode)))
        .Where(c => c.Message is null || ArtifactLine(c.Message) is null)
        .Select(c => $"variant {VariantOf(c.Pod)} keeps exiting" + (c.ExitCode is { } code ? $" (exit code {code})" : "") + (c.Message is { } last ? $": {last}" : ""))
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal)
        .ToList();

    private static string? LastLine(string? message) =>
        message?.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0);

    // The kubelet says so in the container's waiting message (secret "NAME" not found; older kubelets wrote
    // "secrets"). Only a Secret the container takes its envFrom from counts: that is the credentialsSecret.
    private static List<string> CredentialsProblems(IReadOnlyList<V1Pod> pods) => pods
        .SelectMany(p => (p.Status?.ContainerStatuses ?? [])
            .Where(s => s.State?.Waiting is { Reason: CreateContainerConfigError, Message: not null })
            .Select(s => (Pod: p, Status: s, Missing: MissingSecret().Match(s.State!.Waiting!.Message!))))
        .Where(m => m.Missing.Success && EnvFromSecrets(m.Pod, m.Status.Name).Contains(m.Missing.Groups["name"].Value))
        .Select(m => $"variant {VariantOf(m.Pod)} cannot read its artifact credentialsSecret: secret \"{m.Missing.Groups["name"].Value}\" not found")
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal)
        .ToList();

    private static IEnumerable<string> EnvFromSecrets(V1Pod pod, string container) =>
        (pod.Spec?.Containers ?? []).Where(c => c.Name == container)
            .SelectMany(c => c.EnvFrom ?? [])
            .Select(e => e.SecretRef?.Name)
            .OfType<string>();

    [System.Text.RegularExpressions.GeneratedRegex("^(Error: )?secrets? \"(?<name>[^\"]+)\" not found")]
    private static partial System.Text.RegularExpressions.Regex MissingSecret();

    private static List<string> CaBundleProblems(IReadOnlyList<V1Pod> pods, IReadOnlyList<CoreV1Event> mountEvents)
    {
        var fromStatus = pods.SelectMany(p => (p.Status?.ContainerStatuses ?? []).Select(s => (Pod: p, Message: s.State?.Waiting?.Message)));
        // An Event outlives the failure (an hour by default): only those about a pod still waiting to start count.
        var waiting = pods.Where(IsContainerCreating).Where(p => p.Metadata?.Uid is not null).ToDictionary(p => p.Metadata!.Uid!, StringComparer.Ordinal);
        var fromEvents = mountEvents
            .Where(e => e.Reason == FailedMountReason && e.InvolvedObject.Uid is { } uid && waiting.ContainsKey(uid))
            .Select(e => (Pod: waiting[e.InvolvedObject.Uid!], e.Message));
        return fromStatus.Concat(fromEvents)
            .Where(m => m.Message?.StartsWith(CaMountPrefix, StringComparison.Ordinal) == true)
            .Select(m => $"variant {VariantOf(m.Pod)} cannot mount its artifact caBundle: {m.Message![CaMountPrefix.Length..]}")
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static bool IsContainerCreating(V1Pod pod) =>
        pod.Status?.Phase == "Pending" && pod.Status.ContainerStatuses?.Any(s => s.State?.Waiting?.Reason == ContainerCreating) == true;

    // Every pod of a model carries its variant's label; a pod without one is named instead of dropped.
    private static string VariantOf(V1Pod pod) =>
        pod.Metadata?.Labels?.TryGetValue(ChildLabels.Variant, out var variant) == true ? variant : $"of pod {pod.Metadata?.Name}";

    private static string Placement(V1Pod pod) =>
        pod.Metadata?.Labels?.TryGetValue(ChildLabels.Pool, out var pool) == true ? $"{VariantOf(pod)}@{pool}" : VariantOf(pod);
}
