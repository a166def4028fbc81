namespace RecOperator.DevCluster.NodeAgent;

/// <summary>How the node agent runs. Defaults follow the kubelet's where one exists.</summary>
public sealed record NodeAgentOptions
{
    public required NodeAgentConfig Config { get; init; }

    /// <summary>Pod logs go to LOGS/NAMESPACE/POD/CONTAINER.log (see <see cref="PodLogs"/>).</summary>
    public required string LogDirectory { get; init; }

    /// <summary>How often nodes renew their Lease and post their Ready condition (the kubelet: 10 s).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Every controller re-checks everything this often even without a watch event (level-based safety net).</summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Wait before the second restart of a crashing container, doubled per crash (the kubelet: 10 s).</summary>
    public TimeSpan InitialRestartBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Cap of the restart backoff (the kubelet: 5 minutes).</summary>
    public TimeSpan MaxRestartBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A container that ran this long without crashing starts its backoff over (the kubelet: 10 minutes).</summary>
    public TimeSpan BackoffReset { get; init; } = TimeSpan.FromMinutes(10);

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
