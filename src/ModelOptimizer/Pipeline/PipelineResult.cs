using RecOperator.ModelOptimizer.Manifest;

namespace RecOperator.ModelOptimizer.Pipeline;

/// <summary>What a transforming command published: the artifact, its manifest, and the variant entry to paste.</summary>
public sealed record PipelineResult(string ModelPath, string ManifestPath, ArtifactManifest Manifest, string VariantYaml);
