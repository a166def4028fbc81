namespace RecOperator.ModelOptimizer.Fidelity;

/// <summary>
/// How closely a candidate artifact follows its reference over the same seeded requests. Agreement and Spearman are
/// means over requests; AUC and log-loss pool every scored pair against labels drawn from the reference's probabilities.
/// LatencyRatio is candidate / reference mean latency per request (below 1 = faster).
/// </summary>
public sealed record FidelityReport
{
    public required int Requests { get; init; }
    public required int CandidatesPerRequest { get; init; }
    public required ulong Seed { get; init; }

    /// <summary>The dataset file the requests and labels came from; null for seeded synthetic requests.</summary>
    public string? Dataset { get; init; }

    public required double MaxAbsError { get; init; }
    public required double MeanAbsError { get; init; }
    public required double Top10Agreement { get; init; }
    public required double Top50Agreement { get; init; }
    public required double Spearman { get; init; }
    public required double ReferenceAuc { get; init; }
    public required double CandidateAuc { get; init; }
    public required double ReferenceLogLoss { get; init; }
    public required double CandidateLogLoss { get; init; }
    public required double ReferenceLatencyMs { get; init; }
    public required double CandidateLatencyMs { get; init; }

    public double AucDrop => ReferenceAuc - CandidateAuc;

    public double LatencyRatio => ReferenceLatencyMs > 0 ? CandidateLatencyMs / ReferenceLatencyMs : 0;
}
