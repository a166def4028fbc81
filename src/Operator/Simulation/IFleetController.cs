using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Simulation;

/// <summary>A scaling policy under simulation: called every sync period, returns replicas per placement.</summary>
public interface IFleetController
{
    string Name { get; }

    TimeSpan SyncPeriod { get; }

    IReadOnlyDictionary<PlacementKey, int> Decide(SimObservation observation);
}
