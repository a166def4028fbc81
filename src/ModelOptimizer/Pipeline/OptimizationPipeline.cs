using RecOperator.ModelOptimizer.Fidelity;
using RecOperator.ModelOptimizer.Manifest;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Pipeline;

/// <summary>
/// Runs one transform end to end: read, rewrite, write into a staging folder inside --out, load the result in ONNX
/// Runtime and measure its fidelity against the input, hash it, write the manifest, then move the files into --out.
/// A rejection or failure before the move leaves --out as it was (the staging folder is removed).
/// </summary>
public static class OptimizationPipeline
{
    public const string TransformKey = "recoperator.optimization";
    public const string SourceSha256Key = "recoperator.source_sha256";

    public static async Task<PipelineResult> RunAsync(IModelTransform transform, PipelineOptions options, IInferenceEngine engine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(options);
        var source = ModelInput.Read(options.InputPath);
        var outputPath = ModelInput.OutputPath(options.InputPath, options.OutputFolder, transform.Name);
        var result = transform.Apply(source.Clone());
        var sourceSha = await ManifestFiles.Sha256Async(options.InputPath, cancellationToken).ConfigureAwait(false);
        SetMetadata(result.Model, TransformKey, transform.Name);
        SetMetadata(result.Model, SourceSha256Key, sourceSha);

        var createdFolder = !Directory.Exists(options.OutputFolder);
        var staging = Path.Combine(Path.GetFullPath(options.OutputFolder), ".staging-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        var published = false;
        try
        {
            var stagedModel = Path.Combine(staging, Path.GetFileName(outputPath));
            OnnxModelFiles.Write(result.Model, stagedModel);
            FidelityReport fidelity;
            using (var reference = SessionScorer.Load(engine, options.InputPath, options.Fidelity.Threads))
            using (var candidate = SessionScorer.Load(engine, stagedModel, options.Fidelity.Threads))
            {
                fidelity = FidelityRunner.Compare(reference, candidate, InputSpecs.Of(source), options.Fidelity, cancellationToken);
            }
            // Gated before anything moves into --out: a refused model is never published.
            if (options.Gate?.Failures(fidelity) is { Count: > 0 } failures)
            {
                throw new FidelityGateException(fidelity, failures);
            }
            var manifest = new ArtifactManifest
            {
                Path = Path.GetFileName(outputPath),
                Sha256 = await ManifestFiles.Sha256Async(stagedModel, cancellationToken).ConfigureAwait(false),
                SizeBytes = new FileInfo(stagedModel).Length,
                Precision = transform.Precision,
                Inputs = InputSides.Of(result.Model),
                Transform = transform.Name,
                Source = new SourceArtifact(Path.GetFullPath(options.InputPath), sourceSha),
                Summary = result.Summary,
                Fidelity = fidelity,
            };
            var stagedManifest = Path.Combine(staging, ArtifactManifest.FileName);
            await ManifestFiles.WriteAsync(manifest, stagedManifest, cancellationToken).ConfigureAwait(false);
            // The model goes first, the manifest last: a reader that finds the manifest finds the model it describes.
            File.Move(stagedModel, outputPath, overwrite: true);
            var manifestPath = Path.Combine(Path.GetFullPath(options.OutputFolder), ArtifactManifest.FileName);
            File.Move(stagedManifest, manifestPath, overwrite: true);
            published = true;
            var variant = VariantEntry.Yaml(VariantEntry.Create(manifest, outputPath, options.NodePool));
            return new PipelineResult(outputPath, manifestPath, manifest, variant);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
            if (createdFolder && !published)
            {
                Directory.Delete(options.OutputFolder, recursive: true);
            }
        }
    }

    public static void SetMetadata(ModelProto model, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(model);
        var existing = model.MetadataProps.FirstOrDefault(p => p.Key == key);
        if (existing is null)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }
        else
        {
            existing.Value = value;
        }
    }
}
