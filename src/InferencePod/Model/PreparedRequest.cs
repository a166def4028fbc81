using RecOperator.InferencePod.Protocol;

namespace RecOperator.InferencePod.Model;

/// <summary>A request checked against the model: inputs in session order, ready to batch.</summary>
/// <param name="Inputs">One tensor per session input, in the session's order.</param>
/// <param name="Rows">Rows along the batch (candidate) dimension.</param>
/// <param name="Candidates">Candidates scored, for the candidates counter.</param>
public sealed record PreparedRequest(InferTensor[] Inputs, int Rows, int Candidates);
