namespace RecOperator.ModelOptimizer.Fidelity;

/// <summary>
/// A transformed model broke a <see cref="FidelityGate"/> threshold, so it was not published: a variant that ranks
/// unlike its source must not reach a RecModel by accident. Commands turn it into exit code 1.
/// </summary>
public sealed class FidelityGateException : Exception
{
    public FidelityGateException()
    {
    }

    public FidelityGateException(string message)
        : base(message)
    {
    }

    public FidelityGateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FidelityGateException(FidelityReport report, IReadOnlyList<string> failures)
        : base("gate failed: " + string.Join("; ", failures ?? []))
    {
        Report = report;
        Failures = failures ?? [];
    }

    /// <summary>The fidelity that broke the gate (null only for the standard constructors).</summary>
    public FidelityReport? Report { get; }

    /// <summary>One line per broken threshold, naming the metric, its value and the limit.</summary>
    public IReadOnlyList<string> Failures { get; } = [];
}
