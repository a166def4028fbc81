using RecOperator.Demo.Tests.Resilience;

namespace RecOperator.Demo.Tests;

/// <summary>
/// The demo's end-to-end runs, one after another and alone: DisableParallelization makes xunit run this collection after
/// every parallel one has finished (the two resilience lanes), with nothing beside it. They judge the demo's 50 ms SLO
/// from the load's first seconds (<see cref="OperatorOutagesCollection"/> says what a neighbour did to that).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DemoEndToEndCollection : ICollectionFixture<RecopBuild>
{
    public const string Name = "Demo end to end";
}
