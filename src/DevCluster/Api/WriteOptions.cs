namespace RecOperator.DevCluster.Api;

/// <summary>Query parameters that shape a write: `dryRun=All`, `fieldManager`, `force` (apply), `fieldValidation`.</summary>
public sealed record WriteOptions(bool DryRun = false, string? FieldManager = null, bool Force = false, string? FieldValidation = null, bool IsApply = false)
{
    public static WriteOptions Default { get; } = new();

    /// <summary>Where the write's warnings go; null when nobody reads them (the control plane's own writes).</summary>
    public ResponseWarnings? Warnings { get; init; }

    /// <summary>
    /// A write the server makes for itself inside another request (an eviction's DisruptionTarget condition): the real
    /// one makes it through its storage, below the field manager, so it records no managedFields entry.
    /// </summary>
    public bool BelowFieldManager { get; init; }
}
