namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>The process tests share one cluster and run one after another (some take nodes down).</summary>
[CollectionDefinition(Name)]
public sealed class NodeAgentCollection : ICollectionFixture<NodeAgentFixture>
{
    public const string Name = "node agent";
}
