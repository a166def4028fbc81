using RecOperator.Onnx;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Reference;

/// <summary>dlrm-small or dlrm-v2: every input is per candidate (a DLRM has no user side).</summary>
public sealed class DlrmReferenceModel(DlrmConfig config, ulong seed) : IReferenceModel
{
    private readonly Lazy<DlrmWeights> _weights = new(() => Calibrated(config, DlrmWeights.Generate(config, seed), seed));

    public string Name => config.Name;

    public string OutputName => DlrmModelBuilder.Output;

    public DlrmConfig Config => config;

    public ModelProto Build() => DlrmModelBuilder.Build(config, _weights.Value, seed);

    public IReadOnlyList<NamedTensor> CreateInputs(int candidates, DeterministicRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var inputs = new List<NamedTensor>
        {
            new(DlrmModelBuilder.DenseInput, TensorBuffer.Over(random.Symmetric(candidates * config.DenseFeatures, 1f), candidates, config.DenseFeatures)),
        };
        for (var f = 0; f < config.SparseFeatures; f++)
        {
            var ids = new long[candidates];
            for (var c = 0; c < candidates; c++)
            {
                ids[c] = random.NextInt64(config.TableRows[f]);
            }
            inputs.Add(new(DlrmModelBuilder.SparseInput(f), TensorBuffer.Over(ids, candidates)));
        }
        return inputs;
    }

    public float[] ReferenceScores(IReadOnlyList<NamedTensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var dense = (TensorBuffer<float>)inputs.Single(i => i.Name == DlrmModelBuilder.DenseInput).Tensor;
        var sparse = Enumerable.Range(0, config.SparseFeatures)
            .Select(f => ((TensorBuffer<long>)inputs.Single(i => i.Name == DlrmModelBuilder.SparseInput(f)).Tensor).Span.ToArray())
            .ToArray();
        return DlrmReference.Forward(config, _weights.Value, dense.Span.ToArray(), sparse, (int)dense.Shape[0]);
    }

    // Scales the top MLP's last layer so click probabilities spread like a trained model's (see LogitCalibration).
    private static DlrmWeights Calibrated(DlrmConfig config, DlrmWeights weights, ulong seed)
    {
        var sample = new DlrmReferenceModel(config, seed).CreateInputs(128, new DeterministicRandom(seed ^ 0xCA1B));
        var dense = ((TensorBuffer<float>)sample[0].Tensor).Span.ToArray();
        var sparse = sample.Skip(1).Select(s => ((TensorBuffer<long>)s.Tensor).Span.ToArray()).ToArray();
        var logits = DlrmReference.Logits(config, weights, dense, sparse, 128);
        var top = weights.Top.ToArray();
        top[^1] = LogitCalibration.Calibrate(top[^1], logits);
        weights = weights with { Top = top };
        return weights;
    }
}
