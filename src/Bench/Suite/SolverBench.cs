using System.Diagnostics;
using System.Globalization;
using RecOperator.Operator.Autoscaling;

namespace RecOperator.Bench.Suite;

/// <summary>
/// Placement-solver timings (`recop bench --sections solver`, and bench/Autoscaler): median, p99 and worst of many
/// solves of the issue's two problem sizes after a warm-up, so JIT and first-touch costs are not counted.
/// </summary>
public static class SolverBench
{
    private const int WarmUpSolves = 20;
    private const int TimedSolves = 200;

    /// <summary>The problems and the issue's limit for each (milliseconds per solve).</summary>
    public static IReadOnlyList<(string Name, PlacementProblem Problem, double TargetMs)> Problems { get; } =
    [
        ("50 variant-pool pairs", SolverFleets.FiftyPairs(), 10),
        ("10M QPS, 20 pools", SolverFleets.TenMillionQps(), 50),
    ];

    public static SolverTiming Measure(string name, PlacementProblem problem, double targetMs)
    {
        ArgumentNullException.ThrowIfNull(problem);
        for (var i = 0; i < WarmUpSolves; i++)
        {
            PlacementSolver.Solve(problem);
        }

        var times = new List<double>(TimedSolves);
        var result = Placement.Empty;
        for (var i = 0; i < TimedSolves; i++)
        {
            var start = Stopwatch.GetTimestamp();
            result = PlacementSolver.Solve(problem);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        times.Sort();
        return new SolverTiming(name, problem.Variants.Sum(v => v.Pools.Count), result.TotalReplicas, result.IsFeasible,
            times[times.Count / 2], times[(int)(times.Count * 0.99)], times[^1], targetMs);
    }

    public static async Task<IReadOnlyList<BenchFigure>> RunAsync(TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var figures = new List<BenchFigure>();
        foreach (var (name, problem, target) in Problems)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var t = Measure(name, problem, target);
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {name}: median {t.MedianMs:F3} ms, p99 {t.P99Ms:F3} ms, max {t.MaxMs:F3} ms ({t.Replicas:N0} replicas)")).ConfigureAwait(false);
            // The median is the figure: on shared cores the tail measures the neighbours' load as much as the solver.
            figures.Add(new("solver", $"{name}: median solve time", t.MedianMs, "ms", string.Create(CultureInfo.InvariantCulture,
                $"{t.Pairs} pairs, {t.Replicas:N0} replicas placed{(t.Feasible ? "" : " (infeasible)")}; p99 {t.P99Ms:F3} ms, max {t.MaxMs:F3} ms over {TimedSolves} solves (goal: <= {t.TargetMs:F0} ms)")));
        }

        return figures;
    }
}
