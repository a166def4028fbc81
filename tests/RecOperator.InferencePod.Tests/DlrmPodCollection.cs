namespace RecOperator.InferencePod.Tests;

/// <summary>Tests that share the one dlrm pod (run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class DlrmPodCollection : ICollectionFixture<DlrmPodFixture>
{
    public const string Name = "dlrm pod";
}
