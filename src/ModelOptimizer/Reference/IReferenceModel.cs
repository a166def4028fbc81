using RecOperator.Onnx;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Reference;

/// <summary>A reference model: its ONNX graph, inputs for a request of N candidates, and its math in plain C#.</summary>
public interface IReferenceModel
{
    string Name { get; }

    /// <summary>The output every reference model writes: "score" [candidates, 1].</summary>
    string OutputName { get; }

    ModelProto Build();

    /// <summary>Random but valid inputs for one request of <paramref name="candidates"/> scored pairs.</summary>
    IReadOnlyList<NamedTensor> CreateInputs(int candidates, DeterministicRandom random);

    /// <summary>The scores the model must produce for <paramref name="inputs"/>, computed without ONNX.</summary>
    float[] ReferenceScores(IReadOnlyList<NamedTensor> inputs);
}
