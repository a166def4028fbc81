namespace RecOperator.ModelOptimizer.Manifest;

/// <summary>The model a variant was derived from, pinned by digest.</summary>
public sealed record SourceArtifact(string Path, string Sha256);
