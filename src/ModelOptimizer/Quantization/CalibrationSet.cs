using System.Globalization;
using RecOperator.ModelOptimizer.Fidelity;
using RecOperator.ModelOptimizer.Reference;

namespace RecOperator.ModelOptimizer.Quantization;

/// <summary>
/// The requests int8-static calibration scores: seeded synthetic ones, or real traffic from a JSON Lines file in the
/// verify dataset format (docs/optimizer.md; the labels are not used, they only give each request's candidate count).
/// </summary>
public sealed record CalibrationSet(string Description, IReadOnlyList<LabeledRequest> Requests)
{
    /// <summary>Own seed, so calibration never sees the fidelity check's requests.</summary>
    public const ulong SyntheticSeed = 0xCA11B;

    public static CalibrationSet Synthetic(IReadOnlyList<InputSpec> specs, int requests, int candidates)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var random = new DeterministicRandom(SyntheticSeed);
        var list = Enumerable.Range(1, requests)
            .Select(r => new LabeledRequest(SyntheticRequest.Create(specs, candidates, random), [], $"calibration request {r.ToString(CultureInfo.InvariantCulture)}"))
            .ToList();
        return new CalibrationSet(string.Create(CultureInfo.InvariantCulture, $"{requests} synthetic requests x {candidates} candidates"), list);
    }

    /// <summary>Reads and checks the whole file up front; a bad line is rejected naming the file, line and field.</summary>
    public static async Task<CalibrationSet> FromFileAsync(string path, IReadOnlyList<InputSpec> specs, CancellationToken cancellationToken)
    {
        var requests = await DatasetReader.ReadAsync(path, specs, "--calibration-data", cancellationToken).ConfigureAwait(false);
        return new CalibrationSet(string.Create(CultureInfo.InvariantCulture,
            $"{requests.Count} requests from {Path.GetFileName(path)} ({requests.Sum(r => r.Labels.Length)} candidates)"), requests);
    }
}
