using RecOperator.Operator.Desired;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Reconciling;

/// <summary>How `recop operator` runs: what it watches, the images it deploys, and the host (health, election).</summary>
public sealed record RecOperatorOptions
{
    /// <summary>Watch RecModels and their children in this namespace only; null watches every namespace.</summary>
    public string? Namespace { get; init; }

    public OperatorImages Images { get; init; } = OperatorImages.Default;

    public OperatorHostOptions Host { get; init; } = new();

    /// <summary>The name this instance reports in Events and holds the Lease under.</summary>
    public string Identity { get; init; } = Environment.MachineName;

    public ControllerOptions Controllers { get; init; } = new();

    /// <summary>
    /// How long after its last reconcile a NodePool is looked at again without any event: a safety net, since node, pod
    /// and model changes wake the pools they concern.
    /// </summary>
    public TimeSpan NodePoolRecheck { get; init; } = NodePoolReconciler.Recheck;

    /// <summary>How long after its last reconcile a model that is not settled is looked at again (a safety net).</summary>
    public TimeSpan UnsettledModelRecheck { get; init; } = RecModelReconciler.UnsettledRecheck;

    /// <summary>Periodic re-delivery of cached objects, so drift nobody announced is corrected.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(5);
}
