namespace RecOperator.Demo.Tests.Resilience;

/// <summary>
/// Every end-to-end test runs in this one collection, so xunit never runs two of them side by side: each starts its own
/// cluster with real pod processes and judges errors and replicas under load, which a neighbour on the same two cores
/// would decide instead of the code under test. The CLI the pods run is built once before the first of them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection : ICollectionFixture<RecopBuild>
{
    public const string Name = "EndToEnd";
}
