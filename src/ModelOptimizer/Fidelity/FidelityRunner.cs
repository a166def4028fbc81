using System.Diagnostics;
using RecOperator.ModelOptimizer.Reference;

namespace RecOperator.ModelOptimizer.Fidelity;

/// <summary>
/// Scores the same seeded requests with a reference and a candidate and compares them. Labels are Bernoulli draws
/// from the reference's probabilities (seeded), so the reference's AUC is what a perfectly calibrated model would
/// show on such data and the candidate's AUC drop is the quality the optimization cost.
/// </summary>
public static class FidelityRunner
{
    public static FidelityReport Compare(IRequestScorer reference, IRequestScorer candidate, IReadOnlyList<InputSpec> inputs,
        FidelityOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var random = new DeterministicRandom(options.Seed);
        var requests = Enumerable.Range(0, options.Requests).Select(_ => SyntheticRequest.Create(inputs, options.Candidates, random)).ToList();
        for (var i = 0; i < options.WarmupRequests; i++)
        {
            reference.Score(requests[i % requests.Count], cancellationToken);
            candidate.Score(requests[i % requests.Count], cancellationToken);
        }
        var labelRandom = new DeterministicRandom(options.Seed ^ 0x5EED);
        var allReference = new List<float>();
        var allCandidate = new List<float>();
        var labels = new List<bool>();
        double maxError = 0, errorSum = 0, top10 = 0, top50 = 0, spearman = 0;
        var referenceTime = TimeSpan.Zero;
        var candidateTime = TimeSpan.Zero;
        foreach (var request in requests)
        {
            var start = Stopwatch.GetTimestamp();
            var r = reference.Score(request, cancellationToken);
            referenceTime += Stopwatch.GetElapsedTime(start);
            start = Stopwatch.GetTimestamp();
            var c = candidate.Score(request, cancellationToken);
            candidateTime += Stopwatch.GetElapsedTime(start);
            if (r.Length != c.Length)
            {
                throw new Graph.ModelRejectedException($"the reference returns {r.Length} scores per request and the candidate {c.Length}");
            }
            for (var i = 0; i < r.Length; i++)
            {
                var error = Math.Abs((double)r[i] - c[i]);
                maxError = Math.Max(maxError, error);
                errorSum += error;
                labels.Add(labelRandom.NextFloat() < r[i]);
            }
            top10 += RankingMetrics.TopKAgreement(r, c, 10);
            top50 += RankingMetrics.TopKAgreement(r, c, 50);
            spearman += RankingMetrics.Spearman(r, c);
            allReference.AddRange(r);
            allCandidate.AddRange(c);
        }
        var n = requests.Count;
        return new FidelityReport
        {
            Requests = n,
            CandidatesPerRequest = options.Candidates,
            Seed = options.Seed,
            MaxAbsError = maxError,
            MeanAbsError = errorSum / Math.Max(1, allReference.Count),
            Top10Agreement = top10 / n,
            Top50Agreement = top50 / n,
            Spearman = spearman / n,
            ReferenceAuc = RankingMetrics.Auc(allReference, labels),
            CandidateAuc = RankingMetrics.Auc(allCandidate, labels),
            ReferenceLogLoss = RankingMetrics.LogLoss(allReference, labels),
            CandidateLogLoss = RankingMetrics.LogLoss(allCandidate, labels),
            ReferenceLatencyMs = referenceTime.TotalMilliseconds / n,
            CandidateLatencyMs = candidateTime.TotalMilliseconds / n,
        };
    }
}
