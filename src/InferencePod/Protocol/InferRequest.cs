namespace RecOperator.InferencePod.Protocol;

/// <summary>A parsed inference request of either protocol.</summary>
/// <param name="Id">The client's request id, echoed back.</param>
/// <param name="Inputs">The input tensors as sent.</param>
/// <param name="RequestedOutputs">Outputs asked for; empty means all.</param>
/// <param name="BinaryOutputs">REST binary tensor extension: outputs wanted as raw bytes after the JSON header.</param>
public sealed record InferRequest(string Id, IReadOnlyList<InferTensor> Inputs, IReadOnlyList<string> RequestedOutputs, IReadOnlySet<string> BinaryOutputs)
{
    /// <summary>Whether every output is wanted in binary form (the request's "binary_data_output" parameter).</summary>
    public bool AllOutputsBinary { get; init; }
}
