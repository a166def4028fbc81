using System.Security.Cryptography;
using Google.Protobuf;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;

namespace RecOperator.ModelOptimizer.Reference;

/// <summary>Builds a reference model into a folder and proves it: ONNX Runtime loads it and matches the C# math.</summary>
public static class ReferenceModelBuilder
{
    /// <summary>Initializers move to an external data file past this total size, far below protobuf's 2 GiB limit.</summary>
    public const long ExternalDataAboveBytes = 1L << 30;

    /// <summary>
    /// ONNX Runtime sums the same float products in another order than the C# math (blocked GEMMs, fused kernels), so
    /// the scores differ by a few ulps of their size: 1.35e-5 was seen on a 1-row build. A scale-aware bound, as numpy's
    /// allclose, accepts that and still catches a wrong weight or a wrong op.
    /// </summary>
    public const float AbsoluteTolerance = 1e-5f;

    /// <inheritdoc cref="AbsoluteTolerance"/>
    public const float RelativeTolerance = 1e-4f;

    public static async Task<BuiltModel> BuildAsync(IReferenceModel model, string outputFolder, IInferenceEngine engine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(engine);
        Directory.CreateDirectory(outputFolder);
        var proto = model.Build();
        var path = System.IO.Path.Combine(outputFolder, model.Name + ".onnx");
        var weightBytes = proto.Graph.Initializer.Sum(t => (long)t.RawData.Length);
        OnnxModelFiles.Write(proto, path, weightBytes > ExternalDataAboveBytes ? 1 << 20 : 0);

        float maxDifference;
        bool matches;
        using (var session = engine.Load(path))
        {
            var inputs = model.CreateInputs(8, new DeterministicRandom(1));
            using var scores = TensorBuffer.AllocatePinned<float>(8, 1);
            session.Run(inputs, [new(model.OutputName, scores)], cancellationToken);
            var expected = model.ReferenceScores(inputs);
            var pairs = scores.Span.ToArray().Zip(expected).ToList();
            maxDifference = pairs.Max(p => MathF.Abs(p.First - p.Second));
            matches = pairs.All(p => MathF.Abs(p.First - p.Second) <= AbsoluteTolerance + RelativeTolerance * MathF.Abs(p.Second));
        }

        await using var file = File.OpenRead(path);
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
        return new BuiltModel(model.Name, path, file.Length, hash, proto.Graph.Input.Count, maxDifference, matches);
    }
}
