using System.Security.Cryptography;
using RecOperator.ModelOptimizer.Manifest;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.ModelOptimizer.Quantization;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;

namespace RecOperator.Demo.Setup;

/// <summary>
/// Builds the sample model's CPU variants with the optimizer on first run and reuses them after: the fp32
/// user-candidate reference model and its int8 (dynamic) quantization, each proved by the optimizer's own checks.
/// </summary>
public static class DemoArtifacts
{
    public const string ModelName = "user-candidate";

    public static async Task<(DemoArtifact Fp32, DemoArtifact Int8)> EnsureAsync(string folder, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        // One builder at a time: a second caller that found no model and built one beside the first broke both
        // (each writes its .partial file and renames it; found when two end-to-end fleets started together).
        using var exclusive = await FolderLock.AcquireAsync(folder, cancellationToken).ConfigureAwait(false);
        var fp32Folder = System.IO.Path.Combine(folder, "fp32");
        var int8Folder = System.IO.Path.Combine(folder, "int8");
        var fp32Path = System.IO.Path.Combine(fp32Folder, ModelName + ".onnx");
        if (!File.Exists(fp32Path))
        {
            await log.WriteLineAsync($"building the {ModelName} reference model (fp32) into {fp32Folder}").ConfigureAwait(false);
            await ReferenceModelBuilder.BuildAsync(ReferenceModelCatalog.Create(ModelName), fp32Folder, OrtEngine.Create(), cancellationToken).ConfigureAwait(false);
        }
        // The optimizer writes its manifest last, so a manifest means the int8 artifact beside it is complete.
        if (!File.Exists(System.IO.Path.Combine(int8Folder, ArtifactManifest.FileName)))
        {
            await log.WriteLineAsync($"quantizing it to int8 (dynamic) into {int8Folder}").ConfigureAwait(false);
            var options = new PipelineOptions { InputPath = fp32Path, OutputFolder = int8Folder };
            await OptimizationPipeline.RunAsync(new DynamicInt8Transform(), options, OrtEngine.Create(), cancellationToken).ConfigureAwait(false);
        }
        var int8Path = Directory.GetFiles(int8Folder, "*.onnx").Single();
        return (await DescribeAsync(fp32Path, "fp32", cancellationToken).ConfigureAwait(false),
            await DescribeAsync(int8Path, "int8", cancellationToken).ConfigureAwait(false));
    }

    private static async Task<DemoArtifact> DescribeAsync(string path, string precision, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
        return new DemoArtifact(path, hash, precision);
    }
}
