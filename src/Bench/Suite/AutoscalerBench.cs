using RecOperator.Crds;
using RecOperator.Operator.Simulation;

namespace RecOperator.Bench.Suite;

/// <summary>
/// The simulator's table (`recop sim`) on every built-in trace: our policy's cost and SLO-violation minutes over the
/// best HPA's, with the committed measured latency curves where they exist (bench/results/latency-calibration.json).
/// </summary>
public static class AutoscalerBench
{
    public static async Task<IReadOnlyList<BenchFigure>> RunAsync(BenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var documents = await SampleManifests.ReadAsync(options.SamplesFolder, cancellationToken).ConfigureAwait(false);
        var model = CrdsSerializer.ReadRecModel(documents.Single(d => d["kind"]?.GetValue<string>() == RecModel.KindName));
        var pools = documents.Where(d => d["kind"]?.GetValue<string>() == NodePool.KindName).Select(CrdsSerializer.ReadNodePool).ToList();
        // The same measured latency curves as `recop sim` by default, so the two report the same figures.
        var calibrationFile = Path.Combine(options.RepositoryRoot, "bench", "results", "latency-calibration.json");
        var calibration = File.Exists(calibrationFile)
            ? LatencyCalibration.Read(calibrationFile, await File.ReadAllTextAsync(calibrationFile, cancellationToken).ConfigureAwait(false))
            : null;
        var fleet = SimFleet.FromManifests(model, pools, calibration);
        var figures = new List<BenchFigure>();
        foreach (var name in BuiltInTraces.Names)
        {
            var report = SimulationRunner.Run(fleet, BuiltInTraces.Get(name)!, seed: 1);
            var (ours, hpa) = (report.RecOperator, report.Hpa);
            await log.WriteLineAsync($"  {name}: recoperator cost {ours.Cost:F2}, {ours.ViolationMinutes:F1} violation min; {hpa.Policy} cost {hpa.Cost:F2}, {hpa.ViolationMinutes:F1} min")
                .ConfigureAwait(false);
            figures.Add(new("autoscaler", $"{name}: cost, ours / {hpa.Policy}", hpa.Cost > 0 ? ours.Cost / hpa.Cost : double.NaN, "x",
                $"{ours.Cost:F2} vs {hpa.Cost:F2}; violation minutes {ours.ViolationMinutes:F1} vs {hpa.ViolationMinutes:F1} (goal: <= 0.5x the minutes at <= 1.0x the cost)"));
        }
        return figures;
    }
}
