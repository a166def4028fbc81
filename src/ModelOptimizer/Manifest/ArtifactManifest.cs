using RecOperator.Crds.Models;
using RecOperator.ModelOptimizer.Fidelity;

namespace RecOperator.ModelOptimizer.Manifest;

/// <summary>
/// manifest.json beside every artifact the optimizer writes: the file (name relative to the manifest, sha256, size),
/// its precision, the inputs by side, where it came from, what the transform did, and the fidelity and capacity
/// measured for it. Extra files (a split artifact's second model) are listed in <see cref="Files"/>.
/// </summary>
public sealed record ArtifactManifest
{
    public const string FileName = "manifest.json";

    public required string Path { get; init; }
    public required string Sha256 { get; init; }
    public required long SizeBytes { get; init; }
    public required Precision Precision { get; init; }
    public required InputSides Inputs { get; init; }
    public required string Transform { get; init; }
    public SourceArtifact? Source { get; init; }
    public IReadOnlyDictionary<string, string> Summary { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<ManifestFile> Files { get; init; } = [];
    public FidelityReport? Fidelity { get; init; }
    public CapacityProfile? Profile { get; init; }
}
