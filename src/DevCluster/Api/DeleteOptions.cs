namespace RecOperator.DevCluster.Api;

/// <summary>
/// What a DELETE asks for: the propagation policy for dependents (Background, Foreground, Orphan) and
/// optional preconditions on uid and resourceVersion, and the grace period a pod gets to stop (null: its own).
/// </summary>
/// <param name="OrphanDependentsFalse">
/// The deprecated <c>orphanDependents: false</c> was sent: the only case in which kube-apiserver answers 202 Accepted
/// for an object that is not gone yet (finalizers, foreground deletion, a pod's grace period); otherwise it is 200.
/// </param>
public sealed record DeleteOptions(string Propagation = "Background", string? PreconditionUid = null, string? PreconditionResourceVersion = null, bool DryRun = false,
    long? GracePeriodSeconds = null, bool OrphanDependentsFalse = false);
