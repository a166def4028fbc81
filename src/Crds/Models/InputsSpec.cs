using System.ComponentModel;
using RecOperator.Crds.Schema;

namespace RecOperator.Crds.Models;

/// <summary>Which model inputs describe the user (computed once per request) and which each candidate.</summary>
[Description("Which model inputs are user-side (one per request, computed once) and which are candidate-side (one per candidate).")]
public sealed record InputsSpec
{
    [Description("Names of the user-side inputs.")]
    [ItemPattern(Patterns.InputName, Patterns.InputNameReason)]
    public IReadOnlyList<string> User { get; init; } = [];

    [Description("Names of the candidate-side inputs.")]
    [ItemPattern(Patterns.InputName, Patterns.InputNameReason)]
    public IReadOnlyList<string> Candidate { get; init; } = [];
}
