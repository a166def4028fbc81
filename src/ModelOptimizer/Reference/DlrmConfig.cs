namespace RecOperator.ModelOptimizer.Reference;

/// <summary>
/// The shape of a DLRM: dense features through a bottom MLP, one embedding table per sparse feature, pairwise dot
/// interaction of all feature vectors, and a top MLP ending in a sigmoid.
/// </summary>
public sealed record DlrmConfig
{
    public required string Name { get; init; }

    public int DenseFeatures { get; init; } = 13;

    public int EmbeddingDim { get; init; }

    /// <summary>Widths of the bottom MLP after the input (the last equals <see cref="EmbeddingDim"/>).</summary>
    public required IReadOnlyList<int> BottomMlp { get; init; }

    /// <summary>Widths of the top MLP (the last is 1: the click logit).</summary>
    public required IReadOnlyList<int> TopMlp { get; init; }

    /// <summary>Rows of each embedding table; one table per sparse feature.</summary>
    public required IReadOnlyList<int> TableRows { get; init; }

    public int SparseFeatures => TableRows.Count;

    /// <summary>Vectors that interact: the bottom MLP's output and one embedding per sparse feature.</summary>
    public int InteractingVectors => SparseFeatures + 1;

    /// <summary>Strictly lower-triangular pairs of the interaction matrix.</summary>
    public int InteractionPairs => InteractingVectors * (InteractingVectors - 1) / 2;

    public int TopInputWidth => EmbeddingDim + InteractionPairs;

    /// <summary>13 dense + 26 sparse features, dim 64, bottom 13-512-256-64, top 512-256-1.</summary>
    public static DlrmConfig Small(int rowsPerTable = 1000) => new()
    {
        Name = "dlrm-small",
        EmbeddingDim = 64,
        BottomMlp = [512, 256, 64],
        TopMlp = [512, 256, 1],
        TableRows = Enumerable.Repeat(rowsPerTable, 26).ToArray(),
    };

    /// <summary>MLPerf DLRM-v2's dense shape (dim 128, bottom 13-512-256-128, top 1024-1024-512-256-1), small tables.</summary>
    public static DlrmConfig V2(int rowsPerTable = 10_000) => new()
    {
        Name = "dlrm-v2",
        EmbeddingDim = 128,
        BottomMlp = [512, 256, 128],
        TopMlp = [1024, 1024, 512, 256, 1],
        TableRows = Enumerable.Repeat(rowsPerTable, 26).ToArray(),
    };

    public void Validate()
    {
        if (BottomMlp.Count == 0 || BottomMlp[^1] != EmbeddingDim)
        {
            throw new ArgumentException($"{Name}: the bottom MLP must end in the embedding dim {EmbeddingDim}", nameof(BottomMlp));
        }
        if (TopMlp.Count == 0 || TopMlp[^1] != 1)
        {
            throw new ArgumentException($"{Name}: the top MLP must end in width 1", nameof(TopMlp));
        }
        if (TableRows.Count == 0 || TableRows.Any(r => r < 1))
        {
            throw new ArgumentException($"{Name}: every embedding table needs at least one row", nameof(TableRows));
        }
    }
}
