namespace RecOperator.DevCluster.Api;

/// <summary>Query parameters that shape a write: `dryRun=All`, `fieldManager`, `force` (apply), `fieldValidation`.</summary>
public sealed record WriteOptions(bool DryRun = false, string? FieldManager = null, bool Force = false, string? FieldValidation = null, bool IsApply = false)
{
    public static WriteOptions Default { get; } = new();
}
