namespace RecOperator.Operator.Simulation;

/// <summary>What one policy did on one trace.</summary>
/// <param name="Policy">Policy name.</param>
/// <param name="Cost">Replica-hours times pool price, for scheduled pods (starting pods cost money too).</param>
/// <param name="ViolationMinutes">Minutes with the fleet p99 above the SLO, or requests with nowhere to go.</param>
/// <param name="RecoverySeconds">Length of the first SLO-violation episode (it ends after 60 s without violations).</param>
/// <param name="ScaleEvents">Syncs that changed any replica count.</param>
/// <param name="Reversals">Placements that turned back within a minute of their last change (<see cref="ScaleReversals"/>).</param>
public sealed record SimulationResult(string Policy, double Cost, double ViolationMinutes, double RecoverySeconds, int ScaleEvents, int Reversals);
