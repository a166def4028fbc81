namespace RecOperator.InferencePod.Artifacts;

/// <summary>The bearer token a GCS request carries, or none, and where it came from (or why there is none), in words.</summary>
internal sealed record GcsCredential(string? Token, string Description);
