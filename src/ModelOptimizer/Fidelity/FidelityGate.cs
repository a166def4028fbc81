using System.Globalization;

namespace RecOperator.ModelOptimizer.Fidelity;

/// <summary>Quality thresholds a variant must meet; a pipeline refuses the variant when <see cref="Failures"/> is not empty.</summary>
public sealed record FidelityGate
{
    public double MaxAucDrop { get; init; } = 0.001;

    public double MinTop10Agreement { get; init; } = 0.95;

    /// <summary>One line per broken threshold, naming the metric, its value and the limit.</summary>
    public IReadOnlyList<string> Failures(FidelityReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var failures = new List<string>();
        if (report.AucDrop > MaxAucDrop)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"AUC drop {report.AucDrop:F5} exceeds {MaxAucDrop:F5}"));
        }
        if (report.Top10Agreement < MinTop10Agreement)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"top-10 agreement {report.Top10Agreement:F4} is below {MinTop10Agreement:F4}"));
        }
        return failures;
    }
}
