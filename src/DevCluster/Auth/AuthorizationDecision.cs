namespace RecOperator.DevCluster.Auth;

/// <summary>
/// An authorizer's answer: allowed or not (RBAC never denies outright, it only has no opinion), and the reason: which
/// binding allowed it, or the RBAC evaluation errors met on the way (a binding whose role is missing).
/// </summary>
public sealed record AuthorizationDecision(bool Allowed, string Reason)
{
    public static AuthorizationDecision AllowedWithoutReason { get; } = new(true, "");
}
