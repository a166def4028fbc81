using System.Collections.Concurrent;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Fleet;

/// <summary>The in-process plan store: the autoscaler publishes, the reconciler reads. Thread-safe.</summary>
public sealed class FleetPlanBook : IFleetPlanSource
{
    private readonly ConcurrentDictionary<ObjectKey, FleetPlan> _plans = new();

    public event Action<ObjectKey>? Changed;

    public FleetPlan? Get(ObjectKey model) => _plans.TryGetValue(model, out var plan) ? plan : null;

    public void Publish(ObjectKey model, FleetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _plans[model] = plan;
        Changed?.Invoke(model);
    }

    /// <summary>Forgets a deleted model's plan.</summary>
    public void Remove(ObjectKey model) => _plans.TryRemove(model, out _);
}
