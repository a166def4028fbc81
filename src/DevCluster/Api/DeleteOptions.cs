namespace RecOperator.DevCluster.Api;

/// <summary>
/// What a DELETE asks for: the propagation policy for dependents (Background, Foreground, Orphan) and
/// optional preconditions on uid and resourceVersion.
/// </summary>
public sealed record DeleteOptions(string Propagation = "Background", string? PreconditionUid = null, string? PreconditionResourceVersion = null, bool DryRun = false);
