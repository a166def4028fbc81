using RecOperator.Onnx;

namespace RecOperator.InferencePod.Model;

/// <summary>
/// A loaded model as the pod serves it. <see cref="DeclaredInputs"/> is the contract clients see (the artifact's own
/// inputs); the session may differ when user inputs are tiled (reuse off), where user inputs accept any batch, and for
/// a split artifact, where clients send the user model's inputs and the candidate session reads the user model's outputs.
/// </summary>
public sealed class ServedModel : IDisposable
{
    /// <param name="tableRows">Per declared input, the rows of the embedding table it indexes, or 0 (<see cref="EmbeddingIds"/>); null for none.</param>
    /// <param name="rowMixing">Why the session is not row-wise (<see cref="RowIndependenceProbe"/>); null when it is or was not probed.</param>
    public ServedModel(string name, string variant, IInferenceSession session, IReadOnlyList<TensorMetadata> declaredInputs,
        IReadOnlySet<string> userInputs, bool tileUserInputs, SplitUserSide? split = null, IReadOnlyList<long>? tableRows = null,
        string? rowMixing = null)
    {
        Name = name;
        Variant = variant;
        Session = session;
        DeclaredInputs = declaredInputs;
        UserInputs = userInputs;
        TileUserInputs = tileUserInputs;
        Split = split;
        TableRows = tableRows ?? new long[declaredInputs.Count];
        // Requests coalesce along the first dimension only when every session input and output has it dynamic:
        // a fixed-batch input (such as a user input of [1, 16]) means one request per engine call.
        // A split model joins requests only when its user rows may be repeated per candidate (SplitTilingProbe), any
        // other only when the probe found its outputs row-wise: a listwise graph answers wrongly when requests are joined.
        RowMixing = rowMixing;
        Batchable = (split is null || split.TileAcrossRequests) && rowMixing is null && HasRowDimension(session);
    }

    /// <summary>Every input and output has a dynamic first dimension, the only one requests could be joined along.</summary>
    public static bool HasRowDimension(IInferenceSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Inputs.All(i => i.Dimensions.Count > 0 && i.Dimensions[0] < 0)
            && session.Outputs.All(o => o.Dimensions.Count > 0 && o.Dimensions[0] < 0);
    }

    public string Name { get; }

    public string Variant { get; }

    public IInferenceSession Session { get; }

    /// <summary>Inputs as the artifact declares them, in session order.</summary>
    public IReadOnlyList<TensorMetadata> DeclaredInputs { get; }

    public IReadOnlyList<TensorMetadata> Outputs => Session.Outputs;

    /// <summary>
    /// Per declared input, the rows of the embedding table the graph indexes with it (0: none), so ids outside it are
    /// refused before they reach the engine (<see cref="EmbeddingIds"/>).
    /// </summary>
    public IReadOnlyList<long> TableRows { get; }

    /// <summary>Inputs the artifact's metadata names as user-side (<c>recoperator.user_inputs</c>).</summary>
    public IReadOnlySet<string> UserInputs { get; }

    /// <summary>True when user inputs arrive at batch 1 and the pod repeats them once per candidate (reuse off).</summary>
    public bool TileUserInputs { get; }

    /// <summary>The user model of a split artifact, run once per request before the batcher; null for a plain model.</summary>
    public SplitUserSide? Split { get; }

    /// <summary>
    /// Why the model's first dimension is not independent rows (an output that is not one row per input row, or rows
    /// that change each other's answers), so requests are not joined and outputs are left to the engine; null otherwise.
    /// </summary>
    public string? RowMixing { get; }

    /// <summary>Whether concurrent requests may be joined into one engine call (and outputs pre-allocated by rows).</summary>
    public bool Batchable { get; }

    public void Dispose()
    {
        Session.Dispose();
        Split?.Dispose();
    }
}
