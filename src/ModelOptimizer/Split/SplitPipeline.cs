using RecOperator.ModelOptimizer.Fidelity;
using RecOperator.ModelOptimizer.Manifest;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;

namespace RecOperator.ModelOptimizer.Split;

/// <summary>
/// `optimize split`: writes &lt;stem&gt;.user.onnx and &lt;stem&gt;.candidate.onnx (the artifact the variant points at, with
/// the user model's name and sha256 in its metadata) through a staging folder, checks fidelity against the unsplit
/// model, then publishes both with manifest.json.
/// </summary>
public static class SplitPipeline
{
    public static async Task<PipelineResult> RunAsync(IReadOnlyList<string> userInputs, PipelineOptions options, IInferenceEngine engine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var source = ModelInput.Read(options.InputPath);
        var candidatePath = ModelInput.OutputPath(options.InputPath, options.OutputFolder, "candidate");
        var userPath = ModelInput.OutputPath(options.InputPath, options.OutputFolder, "user");
        var artifact = UserCandidateSplitter.Split(source.Clone(), userInputs);
        var sourceSha = await ManifestFiles.Sha256Async(options.InputPath, cancellationToken).ConfigureAwait(false);
        var outputFolder = Path.GetFullPath(options.OutputFolder);
        var createdFolder = !Directory.Exists(outputFolder);
        var staging = Path.Combine(outputFolder, ".staging-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        var published = false;
        try
        {
            var stagedUser = Path.Combine(staging, Path.GetFileName(userPath));
            var stagedCandidate = Path.Combine(staging, Path.GetFileName(candidatePath));
            OnnxModelFiles.Write(artifact.User, stagedUser);
            var userSha = await ManifestFiles.Sha256Async(stagedUser, cancellationToken).ConfigureAwait(false);
            OptimizationPipeline.SetMetadata(artifact.Candidate, SplitMetadata.UserModel, Path.GetFileName(userPath));
            OptimizationPipeline.SetMetadata(artifact.Candidate, SplitMetadata.UserModelSha256, userSha);
            OptimizationPipeline.SetMetadata(artifact.Candidate, OptimizationPipeline.SourceSha256Key, sourceSha);
            OnnxModelFiles.Write(artifact.Candidate, stagedCandidate);

            FidelityReport fidelity;
            var sessionOptions = new InferenceSessionOptions { IntraOpThreads = options.Fidelity.Threads, InterOpThreads = 1 };
            using (var reference = SessionScorer.Load(engine, options.InputPath, options.Fidelity.Threads))
            using (var split = new SplitScorer(engine.Load(stagedUser, sessionOptions), engine.Load(stagedCandidate, sessionOptions)))
            {
                fidelity = FidelityRunner.Compare(reference, split, InputSpecs.Of(source), options.Fidelity, cancellationToken);
            }
            // Gated before anything moves into --out: a refused model is never published.
            if (options.Gate?.Failures(fidelity) is { Count: > 0 } failures)
            {
                throw new FidelityGateException(fidelity, failures);
            }
            var candidateSha = await ManifestFiles.Sha256Async(stagedCandidate, cancellationToken).ConfigureAwait(false);
            var manifest = new ArtifactManifest
            {
                Path = Path.GetFileName(candidatePath),
                Sha256 = candidateSha,
                SizeBytes = new FileInfo(stagedCandidate).Length,
                // A split keeps the weights it was given: splitting an int8 model gives an int8 artifact.
                Precision = TransformPrecision.Of(InputSides.Metadata(source, OptimizationPipeline.TransformKey)),
                Inputs = InputSides.Of(source),
                Transform = "split",
                Source = new SourceArtifact(Path.GetFullPath(options.InputPath), sourceSha),
                Summary = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["userOutputs"] = string.Join(",", artifact.UserOutputs),
                    ["algebraicSplits"] = artifact.AlgebraicSplits.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["userNodes"] = artifact.User.Graph.Node.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["candidateNodes"] = artifact.Candidate.Graph.Node.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
                Files =
                [
                    new ManifestFile("user", Path.GetFileName(userPath), userSha, new FileInfo(stagedUser).Length),
                    new ManifestFile("candidate", Path.GetFileName(candidatePath), candidateSha, new FileInfo(stagedCandidate).Length),
                ],
                Fidelity = fidelity,
            };
            var stagedManifest = Path.Combine(staging, ArtifactManifest.FileName);
            await ManifestFiles.WriteAsync(manifest, stagedManifest, cancellationToken).ConfigureAwait(false);
            // The user model first: a candidate model is never visible without the user model it names.
            File.Move(stagedUser, userPath, overwrite: true);
            File.Move(stagedCandidate, candidatePath, overwrite: true);
            var manifestPath = Path.Combine(outputFolder, ArtifactManifest.FileName);
            File.Move(stagedManifest, manifestPath, overwrite: true);
            published = true;
            return new PipelineResult(candidatePath, manifestPath, manifest, VariantEntry.Yaml(VariantEntry.Create(manifest, candidatePath, options.NodePool)));
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
            if (createdFolder && !published)
            {
                Directory.Delete(outputFolder, recursive: true);
            }
        }
    }
}
