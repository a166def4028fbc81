using System.ComponentModel;
using RecOperator.Crds.Schema;

namespace RecOperator.Crds.Models;

/// <summary>Which model inputs describe the user (computed once per request) and which each candidate.</summary>
[Description("Which model inputs are user-side (one per request, computed once) and which are candidate-side (one per candidate).")]
public sealed record InputsSpec
{
    // Bounds for the CEL overlap rule on RecModelSpec: the API server estimates its cost from list and string sizes.
    public const int MaxInputs = 64;

    public const int MaxInputNameLength = 256;

    [Description("Names of the user-side inputs. The pods are given them (--user-inputs): they replace the artifact's own recoperator.user_inputs metadata, and a name the artifact has no input of stops the pod at start-up naming it. Empty keeps the artifact's metadata.")]
    [MaxItems(MaxInputs)]
    [ItemPattern(Patterns.InputName, Patterns.InputNameReason)]
    [ItemMaxLength(MaxInputNameLength)]
    public IReadOnlyList<string> User { get; init; } = [];

    [Description("Names of the candidate-side inputs; every input not named user-side is candidate-side, so this list documents the model and is checked against user (no name in both).")]
    [MaxItems(MaxInputs)]
    [ItemPattern(Patterns.InputName, Patterns.InputNameReason)]
    [ItemMaxLength(MaxInputNameLength)]
    public IReadOnlyList<string> Candidate { get; init; } = [];
}
