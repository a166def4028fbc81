using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Fleet;

/// <summary>
/// Where the reconciler reads the autoscaler's latest plan. Null means no decision yet (a new model, or the operator
/// just restarted): the reconciler then keeps the replicas it observes, so a restart never scales anything blind.
/// </summary>
public interface IFleetPlanSource
{
    FleetPlan? Get(ObjectKey model);

    /// <summary>Raised after a plan changes, so the operator can enqueue that model for reconciliation.</summary>
    event Action<ObjectKey>? Changed;
}
