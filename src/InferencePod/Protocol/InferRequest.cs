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

    /// <summary>Outputs whose own parameters set binary_data to false: JSON data even when <see cref="AllOutputsBinary"/>.</summary>
    public IReadOnlySet<string> NotBinaryOutputs { get; init; } = EmptyNames;

    private static readonly IReadOnlySet<string> EmptyNames = new HashSet<string>();

    /// <summary>Whether the REST answer carries <paramref name="output"/> as raw bytes after the JSON (binary tensor extension).</summary>
    public bool WantsBinary(string output) =>
        BinaryOutputs.Contains(output) || (AllOutputsBinary && !NotBinaryOutputs.Contains(output));
}
