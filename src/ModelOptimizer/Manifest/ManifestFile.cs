namespace RecOperator.ModelOptimizer.Manifest;

/// <summary>One file of an artifact, relative to the manifest, with its role ("user", "candidate", "external-data").</summary>
public sealed record ManifestFile(string Role, string Path, string Sha256, long SizeBytes);
