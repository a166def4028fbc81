using RecOperator.Demo.Tests.Resilience;

namespace RecOperator.Demo.Tests;

/// <summary>
/// The demo's end-to-end runs, one after another, in a lane of their own beside the resilience tests
/// (<see cref="ResilienceCollection"/> says why two lanes).
/// </summary>
[CollectionDefinition(Name)]
public sealed class DemoEndToEndCollection : ICollectionFixture<RecopBuild>
{
    public const string Name = "Demo end to end";
}
