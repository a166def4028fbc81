namespace RecOperator.Cli.Commands;

/// <summary>What <c>recop sim</c> was asked: the trace, the fleet's manifests, the seed, the output form and the calibration.</summary>
/// <param name="CalibrationFile">A calibration file, "none" for the guessed curves, or null for the committed default when it exists.</param>
internal sealed record SimArguments(string? TraceName, string? TraceFile, string ModelFile, string PoolsFile, int Seed, bool Json, string? CalibrationFile);
