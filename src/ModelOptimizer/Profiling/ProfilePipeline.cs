using RecOperator.ModelOptimizer.Manifest;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.Onnx;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Profiling;

/// <summary>
/// Profiles a model and records the result in DIR/manifest.json: merged into the existing manifest when it describes
/// the same file (same sha256), otherwise a new manifest naming the model. The model itself is never written.
/// The queue model's estimate comes first; <c>loadTest</c>, when given, replaces it with a profile measured under real
/// load around that estimate (it lives where the inference pod does, outside the optimizer).
/// </summary>
public static class ProfilePipeline
{
    public static async Task<PipelineResult> RunAsync(string modelPath, string outputFolder, ProfileOptions options, string nodePool, IInferenceEngine engine,
        CancellationToken cancellationToken, Func<ModelProto, CapacityProfile, CancellationToken, Task<CapacityProfile>>? loadTest = null)
    {
        var model = ModelInput.Read(modelPath);
        var profile = CapacityProfiler.Profile(engine, modelPath, model, options, cancellationToken);
        if (profile.QpsPerReplica <= 0)
        {
            throw new Graph.ModelRejectedException(System.FormattableString.Invariant(
                $"--p99-ms {options.P99TargetMs}: no arrival rate keeps p99 under the target; the measured run times alone exceed it (raise the target or lower --candidates); nothing written"));
        }
        if (loadTest is not null)
        {
            profile = await loadTest(model, profile, cancellationToken).ConfigureAwait(false);
            if (profile.QpsPerReplica <= 0)
            {
                throw new Graph.ModelRejectedException(System.FormattableString.Invariant(
                    $"--load-test: even the lowest rate tried missed p99 {options.P99TargetMs} ms or failed requests on this host; nothing written"));
            }
        }
        var folder = Path.GetFullPath(outputFolder);
        Directory.CreateDirectory(folder);
        var manifestPath = Path.Combine(folder, ArtifactManifest.FileName);
        var sha = await ManifestFiles.Sha256Async(modelPath, cancellationToken).ConfigureAwait(false);
        var existing = await ManifestFiles.ReadAsync(manifestPath, cancellationToken).ConfigureAwait(false);
        var manifest = existing is not null && existing.Sha256 == sha
            ? existing with { Profile = profile }
            : new ArtifactManifest
            {
                Path = Path.GetRelativePath(folder, Path.GetFullPath(modelPath)),
                Sha256 = sha,
                SizeBytes = new FileInfo(modelPath).Length,
                Precision = TransformPrecision.Of(InputSides.Metadata(model, OptimizationPipeline.TransformKey)),
                Inputs = InputSides.Of(model),
                Transform = InputSides.Metadata(model, OptimizationPipeline.TransformKey) is { Length: > 0 } t ? t : "none",
                Profile = profile,
            };
        await ManifestFiles.WriteAsync(manifest, manifestPath, cancellationToken).ConfigureAwait(false);
        var variant = VariantEntry.Yaml(VariantEntry.Create(manifest, Path.GetFullPath(modelPath), nodePool));
        return new PipelineResult(Path.GetFullPath(modelPath), manifestPath, manifest, variant);
    }
}
