using RecOperator.Kube.Models;

namespace RecOperator.Kube.Leadership;

/// <summary>
/// The pure part of leader election: given the Lease as last read, may this candidate take or renew it, and
/// what should the Lease say afterwards. Expiry is judged against the local time at which this candidate
/// last saw the record change (as client-go does), so clocks of different machines never need to agree.
/// </summary>
public static class LeaseDecision
{
    public static bool CanTake(V1LeaseSpec? current, string identity, DateTimeOffset observedAt, DateTimeOffset now, TimeSpan leaseDuration)
    {
        var holder = current?.HolderIdentity;
        if (string.IsNullOrEmpty(holder) || holder == identity)
        {
            return true;
        }

        var duration = current?.LeaseDurationSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : leaseDuration;
        return observedAt + duration <= now;
    }

    public static V1LeaseSpec Next(V1LeaseSpec? current, string identity, DateTimeOffset now, TimeSpan leaseDuration)
    {
        var keeping = current?.HolderIdentity == identity;
        return new V1LeaseSpec
        {
            HolderIdentity = identity,
            LeaseDurationSeconds = (int)Math.Ceiling(leaseDuration.TotalSeconds),
            AcquireTime = keeping ? current!.AcquireTime ?? now : now,
            RenewTime = now,
            // As in client-go: every change of holder counts, including taking a released lease; a new lease starts at 0.
            LeaseTransitions = current is null ? 0 : (current.LeaseTransitions ?? 0) + (keeping ? 0 : 1),
        };
    }

    /// <summary>What a leader writes when it steps down: no holder, so the next candidate need not wait.</summary>
    public static V1LeaseSpec Released(V1LeaseSpec current, DateTimeOffset now) =>
        current with { HolderIdentity = null, LeaseDurationSeconds = 1, RenewTime = now, AcquireTime = null };
}
