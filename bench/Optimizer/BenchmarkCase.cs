using System.Globalization;
using RecOperator.ModelOptimizer.Fidelity;

namespace RecOperator.Bench.Optimizer;

/// <summary>One line of the benchmark table: what was compared, the headline ratio, and the fidelity behind it.</summary>
internal sealed record BenchmarkCase(string Name, string Headline, FidelityReport Fidelity)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-40} {Headline,-44} latency {Fidelity.ReferenceLatencyMs,8:F3} -> {Fidelity.CandidateLatencyMs,8:F3} ms/request (speedup {1 / Fidelity.LatencyRatio:F2}x) | " +
        $"max|err| {Fidelity.MaxAbsError:E2} top-10 {Fidelity.Top10Agreement:F3} top-50 {Fidelity.Top50Agreement:F3} spearman {Fidelity.Spearman:F4} " +
        $"AUC drop {Fidelity.AucDrop:F5} log-loss {Fidelity.ReferenceLogLoss:F4}->{Fidelity.CandidateLogLoss:F4}");
}
