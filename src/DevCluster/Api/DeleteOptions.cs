namespace RecOperator.DevCluster.Api;

/// <summary>
/// What a DELETE asks for: the propagation policy for dependents (Background, Foreground, Orphan) and
/// optional preconditions on uid and resourceVersion, and the grace period a pod gets to stop (null: its own).
/// </summary>
public sealed record DeleteOptions(string Propagation = "Background", string? PreconditionUid = null, string? PreconditionResourceVersion = null, bool DryRun = false,
    long? GracePeriodSeconds = null);
