using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The kubelet's init containers: run one after another, each to successful completion, before any app container
/// starts. One that fails is run again with the usual backoff (Init:CrashLoopBackOff) unless the pod's restartPolicy
/// is Never, when the pod fails and its app containers never start. A sidecar (an init container with restartPolicy
/// Always) is started in its turn and keeps running beside the app containers; the next one starts once it has.
/// </summary>
/// <remarks>
/// Init containers run once per pod here: DevCluster has no pod sandbox to lose, so an app container's restart never
/// runs them again (the kubelet reruns them only when it recreates the sandbox).
/// </remarks>
public static class InitContainerSequence
{
    public const string SidecarRestartPolicy = "Always";

    /// <summary>
    /// The init container as its runner must treat it: retried until it succeeds (OnFailure), or once under a pod's
    /// restartPolicy Never; a sidecar keeps its own Always. Pure.
    /// </summary>
    public static V1Container AsRunnable(V1Container init, string? podRestartPolicy)
    {
        ArgumentNullException.ThrowIfNull(init);
        return init.RestartPolicy == SidecarRestartPolicy ? init : init with { RestartPolicy = podRestartPolicy == "Never" ? "Never" : "OnFailure" };
    }

    /// <summary>
    /// Runs <paramref name="inits"/> in order. Succeeded is true once every one has completed with exit code 0 (or, a
    /// sidecar, started); false when one failed for good or was stopped. Sidecars are the runs of the sidecars started,
    /// which end only when they are stopped.
    /// </summary>
    public static async Task<(bool Succeeded, IReadOnlyList<Task> Sidecars)> RunAsync(IReadOnlyList<(V1Container Spec, ContainerRunner Runner)> inits, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(inits);
        var sidecars = new List<Task>();
        foreach (var (spec, runner) in inits)
        {
            if (spec.RestartPolicy == SidecarRestartPolicy)
            {
                sidecars.Add(Task.Run(runner.RunAsync, CancellationToken.None));
                // The runner reports no event for "started"; its status is a plain field, so poll it briefly.
                while (runner.Status.Started != true && !runner.Done)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50), time).ConfigureAwait(false);
                }
                if (runner.Done)
                {
                    return (false, sidecars);
                }
                continue;
            }
            await runner.RunAsync().ConfigureAwait(false);
            if (runner.Status.State?.Terminated is not { ExitCode: 0 })
            {
                return (false, sidecars);
            }
        }
        return (true, sidecars);
    }

    /// <summary>True once every init container of the pod has completed (a sidecar: started). Pure.</summary>
    public static bool Initialized(V1Pod pod, IReadOnlyList<V1ContainerStatus> inits) =>
        inits.All(s => Complete(pod, s));

    /// <summary>The kubelet's Initialized condition message when not: <c>containers with incomplete status: [a b]</c>.</summary>
    public static string Incomplete(V1Pod pod, IReadOnlyList<V1ContainerStatus> inits) =>
        $"containers with incomplete status: [{string.Join(' ', inits.Where(s => !Complete(pod, s)).Select(s => s.Name))}]";

    /// <summary>An init container that ended with an error and will not run again fails the pod. Pure.</summary>
    public static bool FailedForGood(IReadOnlyList<V1ContainerStatus> inits, bool allDone) =>
        allDone && inits.Any(s => s.State?.Terminated is { ExitCode: not 0 });

    private static bool Complete(V1Pod pod, V1ContainerStatus status) =>
        status.State?.Terminated is { ExitCode: 0 }
        || status.Started == true && pod.Spec?.InitContainers?.FirstOrDefault(c => c.Name == status.Name)?.RestartPolicy == SidecarRestartPolicy;
}
