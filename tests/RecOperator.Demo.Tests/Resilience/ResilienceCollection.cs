namespace RecOperator.Demo.Tests.Resilience;

/// <summary>
/// The resilience end-to-end tests (a pod, the operator, the control plane or Prometheus taken away under load) run
/// one after another in this collection, and beside the demo's (<see cref="RecOperator.Demo.Tests.DemoEndToEndCollection"/>): two lanes.
/// scripts/test.sh runs the end-to-end tests after every other project, so nothing but the other lane shares the two
/// cores with them. Two fleets side by side are cheap: each serves tens of requests a second (a few percent of a core;
/// replicas follow the demo's calibrated capacity, not the CPU), and what the tests wait on is the autoscaler's windows
/// and pods starting, so one lane each halves the phase (8.8 to 4.5 min, 2026-11-25) and leaves what they judge well
/// inside its bounds: the demo's p99 after recovery went from 11-19 ms alone to 25-28 ms beside the other lane, against
/// its 50 ms SLO. The CLI the pods run is built once before the first of them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ResilienceCollection : ICollectionFixture<RecopBuild>
{
    public const string Name = "Resilience end to end";
}
