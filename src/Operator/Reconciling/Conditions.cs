using RecOperator.Kube.Models;

namespace RecOperator.Operator.Reconciling;

/// <summary>Condition types and reasons the RecModel reconciler writes (the autoscaler adds MetricsAvailable and SLOAtRisk).</summary>
public static class Conditions
{
    public const string Ready = "Ready";
    public const string Progressing = "Progressing";
    public const string Degraded = "Degraded";
    public const string InvalidSpec = "InvalidSpec";

    /// <summary>A NodePool holds more of the operator's replicas than its capacityLimit (the limit was lowered, or pods were placed by hand).</summary>
    public const string OverCapacityLimit = "OverCapacityLimit";

    public const string True = "True";
    public const string False = "False";

    /// <summary>Pods of the model stay Pending because the scheduler finds no node for them (PodScheduled=False, Unschedulable).</summary>
    public const string NoCapacity = "NoCapacity";

    /// <summary>
    /// A variant's pods are held back because the ConfigMap or Secret its artifact's caBundle names, or the key in it,
    /// does not exist (the kubelet cannot mount the volume, so the container never starts).
    /// </summary>
    public const string ArtifactCaUnavailable = "ArtifactCaUnavailable";

    /// <summary>
    /// A variant's pods are held back because the Secret its artifact's credentialsSecret names does not exist (the
    /// kubelet cannot resolve the container's envFrom, so the container never starts).
    /// </summary>
    public const string ArtifactCredentialsUnavailable = "ArtifactCredentialsUnavailable";

    /// <summary>Pods cannot load the artifact (missing, not downloadable, or the wrong sha256).</summary>
    public const string ArtifactUnavailable = "ArtifactUnavailable";

    /// <summary>Degraded: a variant's containers keep exiting (CrashLoopBackOff); the message carries their last words.</summary>
    public const string CrashLoopBackOff = "CrashLoopBackOff";

    /// <summary>A Gpu or Asic variant lists a NodePool of other hardware; it is not placed there (<c>HardwareFit</c>).</summary>
    public const string HardwareMismatch = "HardwareMismatch";

    /// <summary>
    /// A child's name is taken by an object the model does not control (another RecModel's child whose name collides,
    /// or anyone else's object): that child is not applied (<see cref="ChildConflict"/>).
    /// </summary>
    public const string NameConflict = "NameConflict";

    /// <summary>A variant lists a NodePool that does not exist; it is not placed there (<c>NodePoolReferences</c>).</summary>
    public const string NodePoolNotFound = "NodePoolNotFound";

    /// <summary>A Deployment's rollout passed its progress deadline (Progressing=False, ProgressDeadlineExceeded).</summary>
    public const string RolloutStuck = "RolloutStuck";

    /// <summary>Progressing: a variant moves out of a pool; the Deployment there goes once the replacement is ready.</summary>
    public const string LeavingPool = "LeavingPool";

    /// <summary>
    /// Sets <paramref name="update"/> in the list, keeping lastTransitionTime when the status did not flip, so the time
    /// says when the condition last changed, not when it was last written.
    /// </summary>
    public static List<V1Condition> Set(IReadOnlyList<V1Condition> current, V1Condition update)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(update);
        var list = current.Where(c => c.Type != update.Type).ToList();
        var previous = current.FirstOrDefault(c => c.Type == update.Type);
        list.Add(previous is not null && previous.Status == update.Status ? update with { LastTransitionTime = previous.LastTransitionTime } : update);
        return [.. list.OrderBy(c => c.Type, StringComparer.Ordinal)];
    }

    public static V1Condition Make(string type, bool status, string reason, string message, long? generation, DateTimeOffset now) => new()
    {
        Type = type,
        Status = status ? True : False,
        Reason = reason,
        Message = message,
        ObservedGeneration = generation,
        // Conditions carry whole seconds on the wire (RFC 3339); trimming here keeps a re-read equal to what was built.
        LastTransitionTime = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()),
    };
}
