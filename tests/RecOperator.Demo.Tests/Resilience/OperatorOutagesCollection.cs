namespace RecOperator.Demo.Tests.Resilience;

/// <summary>
/// One of the two lanes the resilience end-to-end tests run in, side by side: what the operator depends on taken away
/// (Prometheus, the operator itself). The other lane is <see cref="FleetDisruptionsCollection"/>. Each lane runs its tests
/// one after another; scripts/test.sh runs the end-to-end tests after every other project, so the two lanes share the
/// two cores with nothing else. These tests are built to judge through a neighbour's noise (the operator restart's 500 ms
/// SLO, the spill's 250 ms, errors and replica counts elsewhere): each fleet serves tens of requests a second and its
/// replicas follow the model's calibrated capacity, not the host's CPU, and what they wait on is the autoscaler's windows
/// and pods starting. The demo's runs judge a 50 ms SLO from their first seconds, so they run alone, after both lanes
/// (<see cref="RecOperator.Demo.Tests.DemoEndToEndCollection"/>): beside a lane, a neighbour's fleet starting pushed the
/// demo's warm-up p99 to 280 ms and the SLO guard scaled the fleet up before the step it is there to show.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OperatorOutagesCollection : ICollectionFixture<RecopBuild>
{
    public const string Name = "Operator outages end to end";
}
