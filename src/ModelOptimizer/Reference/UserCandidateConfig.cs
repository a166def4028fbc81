namespace RecOperator.ModelOptimizer.Reference;

/// <summary>
/// A ranking model for one user and N candidates. User side: dense features and a behaviour history of item ids,
/// mean-pooled through the item table, into a user tower. Candidate side: item id and item features into an item
/// tower. The top layer combines user, item and their element-wise product, then a sigmoid.
/// </summary>
public sealed record UserCandidateConfig
{
    public string Name { get; init; } = "user-candidate";

    public int UserDenseFeatures { get; init; } = 16;

    public int HistoryLength { get; init; } = 20;

    public int ItemDenseFeatures { get; init; } = 8;

    public int EmbeddingDim { get; init; } = 32;

    public int ItemRows { get; init; } = 10_000;

    public IReadOnlyList<int> UserTower { get; init; } = [64, 32];

    public IReadOnlyList<int> ItemTower { get; init; } = [64, 32];

    public int TopHidden { get; init; } = 64;

    public int TowerOutput => UserTower[^1];

    public void Validate()
    {
        if (UserTower.Count == 0 || ItemTower.Count == 0 || UserTower[^1] != ItemTower[^1])
        {
            throw new ArgumentException($"{Name}: user and item towers must end in the same width", nameof(UserTower));
        }
        if (ItemRows < 1 || HistoryLength < 1)
        {
            throw new ArgumentException($"{Name}: ItemRows and HistoryLength must be at least 1", nameof(ItemRows));
        }
    }
}
