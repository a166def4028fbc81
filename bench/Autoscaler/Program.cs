using System.Diagnostics;
using System.Globalization;
using RecOperator.Bench.Autoscaler;
using RecOperator.Operator.Autoscaling;

// Median and worst of many solves after a warm-up, so JIT and first-touch costs are not counted.
foreach (var (name, problem) in new[] { ("50 variant-pool pairs", SolverFleets.FiftyPairs()), ("10M QPS, 20 pools", SolverFleets.TenMillionQps()) })
{
    for (var i = 0; i < 20; i++)
    {
        PlacementSolver.Solve(problem);
    }

    var times = new List<double>();
    Placement result = Placement.Empty;
    for (var i = 0; i < 200; i++)
    {
        var start = Stopwatch.GetTimestamp();
        result = PlacementSolver.Solve(problem);
        times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    times.Sort();
    Console.WriteLine(string.Format(
        CultureInfo.InvariantCulture,
        "| {0} | {1} pairs | {2:N0} replicas | {3:F3} | {4:F3} | {5:F3} | feasible={6} |",
        name,
        problem.Variants.Sum(v => v.Pools.Count),
        result.TotalReplicas,
        times[times.Count / 2],
        times[(int)(times.Count * 0.99)],
        times[^1],
        result.IsFeasible));
}
