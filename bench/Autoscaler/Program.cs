using System.Globalization;
using RecOperator.Bench.Suite;

// The same measurement as `recop bench --sections solver`, printed as the table rows of bench/README.md.
foreach (var (name, problem, target) in SolverBench.Problems)
{
    var t = SolverBench.Measure(name, problem, target);
    Console.WriteLine(string.Format(
        CultureInfo.InvariantCulture,
        "| {0} | {1} pairs | {2:N0} replicas | {3:F3} | {4:F3} | {5:F3} | feasible={6} |",
        t.Name, t.Pairs, t.Replicas, t.MedianMs, t.P99Ms, t.MaxMs, t.Feasible));
}
