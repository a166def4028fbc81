using System.Globalization;

namespace RecOperator.ModelOptimizer.Reference;

/// <summary>
/// Metadata every reference model carries: its name, seed, and which inputs belong to the user side and which to
/// the candidate side (what a RecModel's spec.inputs says, and what lets a server compute user-side work once).
/// </summary>
public static class ReferenceModelMetadata
{
    public const string ModelKey = "recoperator.model";
    public const string SeedKey = "recoperator.seed";
    public const string UserInputsKey = "recoperator.user_inputs";
    public const string CandidateInputsKey = "recoperator.candidate_inputs";

    public static IReadOnlyDictionary<string, string> For(string name, ulong seed, IEnumerable<string> candidateInputs, IEnumerable<string> userInputs) =>
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ModelKey] = name,
            [SeedKey] = seed.ToString(CultureInfo.InvariantCulture),
            [UserInputsKey] = string.Join(",", userInputs),
            [CandidateInputsKey] = string.Join(",", candidateInputs),
        };
}
