namespace RecOperator.Kube.Leadership;

/// <summary>Leader election on a coordination.k8s.io/v1 Lease, with client-go's default timings.</summary>
public sealed record LeaderElectionOptions
{
    public required string LeaseName { get; init; }

    public required string LeaseNamespace { get; init; }

    /// <summary>This instance's unique name, usually the pod name.</summary>
    public required string Identity { get; init; }

    /// <summary>How long others wait after the last renewal they saw before taking the lease over.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives up leading.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause between attempts to acquire or renew.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Throws when the timings cannot work: the leader must give up before others may take over.</summary>
    public void Validate()
    {
        if (LeaseDuration <= RenewDeadline)
        {
            throw new ArgumentException($"LeaseDuration ({LeaseDuration}) must be greater than RenewDeadline ({RenewDeadline})");
        }

        if (RenewDeadline <= RetryPeriod)
        {
            throw new ArgumentException($"RenewDeadline ({RenewDeadline}) must be greater than RetryPeriod ({RetryPeriod})");
        }

        ArgumentException.ThrowIfNullOrEmpty(Identity);
        ArgumentException.ThrowIfNullOrEmpty(LeaseName);
    }
}
