using RecOperator.InferencePod.Batching;
using RecOperator.InferencePod.Protocol;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Model;

/// <summary>
/// The user half of a split artifact (docs/optimizer.md): run once per request on the request's user inputs, its
/// outputs become the candidate model's user-side inputs, one row each ([1, width], broadcast by the graph). With
/// <see cref="TileAcrossRequests"/> requests of different users may share one candidate-model call: the batch runner
/// then repeats each user row once per candidate of its request (so a request that runs alone is never tiled).
/// </summary>
public sealed class SplitUserSide : IDisposable
{
    private readonly int[] _candidateSources;

    /// <param name="user">The user model session.</param>
    /// <param name="candidateInputs">The candidate session's inputs, in its order.</param>
    /// <param name="tileAcrossRequests">Whether the candidate model was shown to score tiled user rows alike.</param>
    public SplitUserSide(IInferenceSession user, IReadOnlyList<TensorMetadata> candidateInputs, bool tileAcrossRequests)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(candidateInputs);
        User = user;
        TileAcrossRequests = tileAcrossRequests;
        var userOutputs = user.Outputs.Select(o => o.Name).ToList();
        var candidateOnly = candidateInputs.Where(i => !userOutputs.Contains(i.Name)).ToList();
        DeclaredInputs = [.. user.Inputs, .. candidateOnly];
        // For each candidate-session input: ~k = user output k, otherwise its position among the declared inputs.
        _candidateSources = candidateInputs.Select(i => userOutputs.IndexOf(i.Name) is var k and >= 0
            ? ~k
            : user.Inputs.Count + candidateOnly.FindIndex(c => c.Name == i.Name)).ToArray();
    }

    public IInferenceSession User { get; }

    public bool TileAcrossRequests { get; }

    /// <summary>What clients send: the user model's inputs, then the candidate model's own inputs.</summary>
    public IReadOnlyList<TensorMetadata> DeclaredInputs { get; }

    /// <summary>Runs the user model on the request's user inputs and returns the candidate session's inputs.</summary>
    /// <param name="declared">The request's tensors in <see cref="DeclaredInputs"/> order, already checked.</param>
    public InferTensor[] CandidateInputs(InferTensor[] declared, CancellationToken cancellationToken)
    {
        var userInputs = new NamedTensor[User.Inputs.Count];
        IReadOnlyList<NamedTensor>? userOutputs = null;
        try
        {
            for (var i = 0; i < userInputs.Length; i++)
            {
                var buffer = TensorBuffer.Allocate(declared[i].ElementType, declared[i].Shape);
                declared[i].Data.Span.CopyTo(TensorBytes.Of(buffer));
                userInputs[i] = new NamedTensor(declared[i].Name, buffer);
            }
            userOutputs = User.Run(userInputs, cancellationToken);
            var result = new InferTensor[_candidateSources.Length];
            for (var c = 0; c < result.Length; c++)
            {
                var source = _candidateSources[c];
                result[c] = source >= 0 ? declared[source] : FromUser(userOutputs.First(o => o.Name == User.Outputs[~source].Name));
            }
            return result;
        }
        finally
        {
            foreach (var tensor in userInputs.Where(t => t.Tensor is not null).Concat(userOutputs ?? []))
            {
                tensor.Tensor.Dispose();
            }
        }
    }

    private static InferTensor FromUser(NamedTensor output) =>
        new(output.Name, output.Tensor.ElementType, output.Tensor.Shape.ToArray(), TensorBytes.Of(output.Tensor).ToArray());

    public void Dispose() => User.Dispose();
}
