namespace RecOperator.Demo.Tests.Resilience;

/// <summary>
/// The other lane of the resilience end-to-end tests, beside <see cref="OperatorOutagesCollection"/> (which says why two
/// lanes): the fleet's own parts disrupted (a pod killed, a pool full, the control plane restarted).
/// </summary>
[CollectionDefinition(Name)]
public sealed class FleetDisruptionsCollection : ICollectionFixture<RecopBuild>
{
    public const string Name = "Fleet disruptions end to end";
}
