namespace RecOperator.ModelOptimizer.Reference;

/// <summary>The reference models by name, as `recop optimize build --model NAME` knows them.</summary>
public static class ReferenceModelCatalog
{
    public const ulong DefaultSeed = 42;

    /// <summary>
    /// Most rows per embedding table. A table is one float array of rows × dim (up to 128), so far more rows overflow
    /// its size; a million rows already makes dlrm-v2 about 13 GB.
    /// </summary>
    public const int MaxRows = 1_000_000;

    public static IReadOnlyList<string> Names { get; } = ["dlrm-small", "dlrm-v2", "user-candidate"];

    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="seed">Fixes every weight.</param>
    /// <param name="rows">Rows per embedding table (per item table for user-candidate); null keeps the model's default.</param>
    public static IReferenceModel Create(string name, ulong seed = DefaultSeed, int? rows = null)
    {
        if (rows is < 1 or > MaxRows)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"rows per embedding table must be between 1 and {MaxRows}");
        }
        return name switch
        {
            "dlrm-small" => new DlrmReferenceModel(rows is { } r ? DlrmConfig.Small(r) : DlrmConfig.Small(), seed),
            "dlrm-v2" => new DlrmReferenceModel(rows is { } r ? DlrmConfig.V2(r) : DlrmConfig.V2(), seed),
            "user-candidate" => new UserCandidateReferenceModel(rows is { } r ? new UserCandidateConfig { ItemRows = r } : new UserCandidateConfig(), seed),
            _ => throw new ArgumentException($"unknown reference model '{name}'; known models: {string.Join(", ", Names)}", nameof(name)),
        };
    }
}
