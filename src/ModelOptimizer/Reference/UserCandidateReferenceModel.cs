using RecOperator.Onnx;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Reference;

/// <summary>user-candidate: one user (dense features and history) and N candidates per request.</summary>
public sealed class UserCandidateReferenceModel(UserCandidateConfig config, ulong seed) : IReferenceModel
{
    private readonly Lazy<UserCandidateWeights> _weights = new(() => Calibrated(config, UserCandidateWeights.Generate(config, seed), seed));

    public string Name => config.Name;

    public string OutputName => UserCandidateModelBuilder.Output;

    public ModelProto Build() => UserCandidateModelBuilder.Build(config, _weights.Value, seed);

    public IReadOnlyList<NamedTensor> CreateInputs(int candidates, DeterministicRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var history = new long[config.HistoryLength];
        for (var i = 0; i < history.Length; i++)
        {
            history[i] = random.NextInt64(config.ItemRows);
        }
        var ids = new long[candidates];
        for (var c = 0; c < candidates; c++)
        {
            ids[c] = random.NextInt64(config.ItemRows);
        }
        return
        [
            new(UserCandidateModelBuilder.UserDense, TensorBuffer.Over(random.Symmetric(config.UserDenseFeatures, 1f), 1, config.UserDenseFeatures)),
            new(UserCandidateModelBuilder.UserHistory, TensorBuffer.Over(history, 1, config.HistoryLength)),
            new(UserCandidateModelBuilder.ItemId, TensorBuffer.Over(ids, candidates)),
            new(UserCandidateModelBuilder.ItemDense, TensorBuffer.Over(random.Symmetric(candidates * config.ItemDenseFeatures, 1f), candidates, config.ItemDenseFeatures)),
        ];
    }

    public float[] ReferenceScores(IReadOnlyList<NamedTensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        T[] Get<T>(string name) where T : unmanaged => ((TensorBuffer<T>)inputs.Single(i => i.Name == name).Tensor).Span.ToArray();
        return UserCandidateReference.Forward(config, _weights.Value, Get<float>(UserCandidateModelBuilder.UserDense),
            Get<long>(UserCandidateModelBuilder.UserHistory), Get<long>(UserCandidateModelBuilder.ItemId), Get<float>(UserCandidateModelBuilder.ItemDense));
    }

    // Scales the output layer so click probabilities spread like a trained model's (see LogitCalibration).
    private static UserCandidateWeights Calibrated(UserCandidateConfig config, UserCandidateWeights weights, ulong seed)
    {
        var random = new DeterministicRandom(seed ^ 0xCA1B);
        var model = new UserCandidateReferenceModel(config, seed);
        var requests = Enumerable.Range(0, 8).Select(_ => model.CreateInputs(32, random)).ToList();
        var logits = new List<float>();
        foreach (var inputs in requests)
        {
            T[] Get<T>(int i) where T : unmanaged => ((TensorBuffer<T>)inputs[i].Tensor).Span.ToArray();
            logits.AddRange(UserCandidateReference.Logits(config, weights, Get<float>(0), Get<long>(1), Get<long>(2), Get<float>(3)));
        }
        weights = weights with { Output = LogitCalibration.Calibrate(weights.Output, logits) };
        return weights;
    }
}
