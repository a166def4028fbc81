namespace RecOperator.ModelOptimizer.Fidelity;

/// <summary>One request of a dataset file: the inputs of one user and N candidates, and N observed labels.</summary>
/// <param name="Where">"--dataset FILE line N", for errors found only when the request is scored.</param>
public sealed record LabeledRequest(SyntheticRequest Request, bool[] Labels, string Where);
